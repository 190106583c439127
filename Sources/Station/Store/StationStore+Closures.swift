import Fluent
import Foundation
import SQLKit
import StationDomain
import Vocabulary

extension StationStore {
    /// A market's closures in date order; nil when there is no such market.
    func closures(of id: MarketID) async throws -> [Closure]? {
        guard try await market(id) != nil else { return nil }
        return try await MarketClosureModel.query(on: db).filter(\.$marketID == id.rawValue).sort(\.$date).all()
            .compactMap { row in LocalDate(iso: row.date).map { Closure(date: $0, reason: row.reason) } }
    }

    /// Closes a market for a day (again: a new reason), refused when the day has bookings; records the change.
    func addClosure(_ closure: Closure, market id: MarketID, actor: String) async throws -> Closure {
        let at = timestamp()
        let now = now()
        return try await write { db in
            guard try await Self.lockMarket(id.rawValue, exclusive: true, on: db) != nil,
                let market = try await MarketModel.find(id.rawValue, on: db)
            else { throw StationError.notFound("market") }
            let schedule = market.schedule
            let closure = try Self.valid { () throws(FieldErrors) in
                try closure.validated(today: LocalDate(now, in: schedule.timeZone))
            }
            let booked = try await Self.bookings(of: id, on: closure.date, in: schedule.timeZone, on: db)
            if !booked.isEmpty { throw AdminRefusal.bookedDay(closure.date, affected: booked) }
            if let existing = try await MarketClosureModel.query(on: db)
                .filter(\.$marketID == id.rawValue).filter(\.$date == closure.date.iso).first()
            {
                existing.reason = closure.reason
                try await existing.save(on: db)
            } else {
                try await MarketClosureModel(marketID: id.rawValue, date: closure.date.iso, reason: closure.reason)
                    .create(on: db)
            }
            try await Self.record(
                .closureAdded, entity: "\(id.wire)/\(closure.date.iso)", actor: actor, at: at, on: db)
            return closure
        }
    }

    /// Opens a closed day again; false when the market or the closure does not exist.
    func removeClosure(on day: LocalDate, market id: MarketID, actor: String) async throws -> Bool {
        let at = timestamp()
        return try await write { db in
            guard try await Self.lockMarket(id.rawValue, exclusive: true, on: db) != nil,
                let closure = try await MarketClosureModel.query(on: db)
                    .filter(\.$marketID == id.rawValue).filter(\.$date == day.iso).first()
            else { return false }
            try await closure.delete(on: db)
            try await Self.record(.closureRemoved, entity: "\(id.wire)/\(day.iso)", actor: actor, at: at, on: db)
            return true
        }
    }

    /// The closed days of a market between two market-local dates.
    static func closedDays(of market: UUID, from: LocalDate, to: LocalDate, on db: any Database) async throws
        -> [LocalDate: String]
    {
        // SQL text, decoded column by column: every booking asks this of its day.
        let rows = try await db.sql.raw(
            """
            SELECT "date", reason FROM market_closures WHERE market_id = \(bind: market) \
            AND "date" >= \(bind: from.iso) AND "date" <= \(bind: to.iso)
            """
        ).all()
        var days: [LocalDate: String] = [:]
        for row in rows {
            if let day = LocalDate(iso: try row.decode(column: "date", as: String.self)) {
                days[day] = try row.decode(column: "reason", as: String.self)
            }
        }
        return days
    }

    /// Refuses a booking of `window` on a day its market is closed, inside the booking's transaction.
    static func refuseIfClosed(_ window: DateInterval, market: UUID, in zone: TimeZone, on db: any Database)
        async throws
    {
        guard let day = LocalDate(window.start, in: zone),
            let reason = try await closedDays(of: market, from: day, to: day, on: db)[day]
        else { return }
        throw DayClosed(day: day, reason: reason)
    }

    /// The open (not archived) care requests booked into a market-local day, by window.
    static func bookings(of market: MarketID, on day: LocalDate, in zone: TimeZone, on db: any Database)
        async throws -> [CareRequestID]
    {
        guard let span = day.interval(in: zone) else { return [] }
        return try await CareRequestModel.query(on: db)
            .filter(\.$marketID == market.rawValue)
            .filter(\.$windowStart >= span.start).filter(\.$windowStart < span.end)
            .filter(\.$status != CareRequestStatus.archived.rawValue)
            .sort(\.$windowStart).all()
            .map { CareRequestID(try $0.requireID()) }
    }
}
