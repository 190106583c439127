import Fluent
import Foundation
import Platform
import SQLKit
import StationDomain

/// A time window with what is left of it.
struct WindowAvailability: Sendable, Equatable {
    var window: DateInterval
    var capacity: Int
    var remaining: Int
}

/// The chosen window has no room left.
struct WindowFull: Error {}

extension StationStore {
    /// The market's windows between two market-local dates that have not started yet.
    func availability(of market: MarketModel, from: LocalDate, to: LocalDate) async throws -> [WindowAvailability] {
        let schedule = market.schedule
        let marketID = try market.requireID()
        // A closed day (a holiday) publishes no windows.
        let closed = try await Self.closedDays(of: marketID, from: from, to: to, on: db)
        let windows = schedule.windows(from: from, to: to, notBefore: now()).filter { window in
            LocalDate(window.start, in: schedule.timeZone).map { closed[$0] == nil } ?? true
        }
        guard let first = windows.first, let last = windows.last else { return [] }
        let rows = try await db.sql.select()
            .columns("window_start", "capacity", "booked")
            .from(TimeWindowReservationModel.schema)
            .where("market_id", .equal, marketID)
            .where("window_start", .greaterThanOrEqual, first.start)
            .where("window_start", .lessThanOrEqual, last.start)
            .all()
        var booked: [Date: (capacity: Int, booked: Int)] = [:]
        for row in rows {
            let start = try row.decode(column: "window_start", as: Date.self)
            booked[start] = (
                try row.decode(column: "capacity", as: Int.self), try row.decode(column: "booked", as: Int.self)
            )
        }
        return windows.map { window in
            let entry = booked[window.start] ?? (schedule.capacityPerWindow, 0)
            return WindowAvailability(
                window: window, capacity: entry.capacity, remaining: max(0, entry.capacity - entry.booked))
        }
    }

    /// The next few windows with room, from now on, for a caller whose window was full.
    func nextAvailableWindows(of market: MarketModel, count: Int = 3) async throws -> [WindowAvailability] {
        guard let published = market.schedule.publishedDays(at: now()) else { return [] }
        return try await availability(of: market, from: published.lowerBound, to: published.upperBound)
            .filter { $0.remaining > 0 }
            .prefix(count)
            .map { $0 }
    }

    /// Takes one place in `window`, inside the caller's transaction; throws ``WindowFull`` when none is left
    /// and ``DayClosed`` on a day the market is closed.
    static func reserve(_ window: DateInterval, in market: MarketModel, on db: any Database) async throws {
        let sql = db.sql
        let marketID = try market.requireID()
        // Shares the market's row with other bookings, so that an administration change (a closure, fewer places),
        // which takes it exclusively, lies wholly before or after this booking; reads the places it settled on.
        let capacity = try await lockMarket(marketID, exclusive: false, on: db) ?? market.capacityPerWindow
        try await refuseIfClosed(window, market: marketID, in: market.schedule.timeZone, on: db)
        // SQL text with binds, as every statement of a booking: a builder quotes and escapes each name anew.
        try await sql.raw(
            """
            INSERT INTO time_window_reservations (id, market_id, window_start, window_end, capacity, booked, \
            updated_at) VALUES (\(bind: UUID()), \(bind: marketID), \(bind: window.start), \(bind: window.end), \
            \(bind: capacity), 0, \(bind: Date())) ON CONFLICT (market_id, window_start) DO NOTHING
            """
        ).run()
        let reserved = try await sql.raw(
            """
            UPDATE time_window_reservations SET booked = booked + 1, updated_at = \(bind: Date()) \
            WHERE market_id = \(bind: marketID) AND window_start = \(bind: window.start) AND booked < capacity \
            RETURNING id
            """
        ).all()
        guard !reserved.isEmpty else { throw WindowFull() }
    }

    /// Gives back the place a care request held, when it is archived.
    static func release(_ window: DateInterval, marketID: UUID, on db: any Database) async throws {
        try await db.sql.update(TimeWindowReservationModel.schema)
            .set("booked", to: SQLBinaryExpression(SQLColumn("booked"), .subtract, SQLLiteral.numeric("1")))
            .set("updated_at", to: SQLBind(Date()))
            .where("market_id", .equal, marketID)
            .where("window_start", .equal, window.start)
            .where("booked", .greaterThan, 0)
            .run()
    }
}
