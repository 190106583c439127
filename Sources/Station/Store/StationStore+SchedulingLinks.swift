import Fluent
import Foundation
import SQLKit
import StationDomain
import Vocabulary

/// When each published thing last changed, from the administration changes: markets (settings, closures) and
/// service lines, by id.
struct PublishedChanges: Sendable {
    var byEntity: [UUID: Date] = [:]

    func changed(_ id: UUID?) -> Date? { id.flatMap { byEntity[$0] } }
}

extension StationStore {
    /// The newest administration change of each market (its settings and its closures, whose entity is
    /// `<market>/<day>`) and of each service line.
    func publishedChanges() async throws -> PublishedChanges {
        let rows = try await db.sql.select()
            .column("entity_id").column(SQLFunction("MAX", args: SQLColumn("at")), as: "changed_at")
            .from(AdminChangeModel.schema)
            .groupBy("entity_id")
            .all()
        var changes = PublishedChanges()
        for row in rows {
            let entity = try row.decode(column: "entity_id", as: String.self)
            guard let id = UUID(uuidString: String(entity.prefix { $0 != "/" })) else { continue }
            let at = try row.decode(column: "changed_at", as: Date.self)
            changes.byEntity[id] = max(changes.byEntity[id] ?? at, at)
        }
        return changes
    }

    /// Every window of the market's published horizon, free or busy, with when it last changed.
    func publishedWindows(of market: MarketModel, changedAt: Date?) async throws -> [PublishedWindow] {
        let marketID = try market.requireID()
        let schedule = market.schedule
        let now = now()
        guard let days = schedule.publishedDays(at: now), let span = days.lowerBound.interval(in: schedule.timeZone),
            let last = days.upperBound.interval(in: schedule.timeZone)
        else { return [] }
        let closed = try await Self.closedDays(of: marketID, from: days.lowerBound, to: days.upperBound, on: db)
        let rows = try await db.sql.select()
            .columns("window_start", "capacity", "booked", "updated_at")
            .from(TimeWindowReservationModel.schema)
            .where("market_id", .equal, SQLBind(marketID))
            .where("window_start", .greaterThanOrEqual, SQLBind(span.start))
            .where("window_start", .lessThan, SQLBind(last.end))
            .all()
        var reservations: [Date: WindowReservation] = [:]
        for row in rows {
            reservations[try row.decode(column: "window_start", as: Date.self)] = WindowReservation(
                capacity: try row.decode(column: "capacity", as: Int.self),
                booked: try row.decode(column: "booked", as: Int.self),
                updatedAt: try row.decode(column: "updated_at", as: Date?.self))
        }
        return SlotPublishing.windows(
            market: MarketID(marketID), schedule: schedule, now: now, closedDays: Set(closed.keys),
            reservations: reservations, marketChangedAt: changedAt)
    }
}
