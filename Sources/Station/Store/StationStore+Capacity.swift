import Fluent
import Foundation
import SQLKit
import StationDomain
import Vocabulary

extension StationStore {
    /// Sets one window's places for its day. The update is conditional on what is booked at that moment, so a
    /// booking made at the same time is never silently dropped: the change is refused naming the requests
    /// booked in the window instead. A window of a day the market is closed is refused.
    func setCapacity(_ change: WindowCapacity, of market: MarketModel) async throws -> BoardWindowState {
        let marketID = try market.requireID()
        try await write { db in
            // A closed day has no windows to give places to: the closure comes off first.
            if let day = LocalDate(change.window.start, in: market.schedule.timeZone),
                let reason = try await Self.closedDays(of: marketID, from: day, to: day, on: db)[day]
            {
                throw AdminRefusal.closedDay(day, reason: reason)
            }
            try await db.sql.insert(into: TimeWindowReservationModel.schema)
                .columns("id", "market_id", "window_start", "window_end", "capacity", "booked", "updated_at")
                .values(
                    SQLBind(UUID()), SQLBind(marketID), SQLBind(change.window.start), SQLBind(change.window.end),
                    SQLBind(market.capacityPerWindow), SQLBind(0), SQLBind(Date())
                )
                .ignoringConflicts(with: ["market_id", "window_start"])
                .run()
            let changed = try await db.sql.update(TimeWindowReservationModel.schema)
                .set("capacity", to: SQLBind(change.capacity))
                .set("updated_at", to: SQLBind(Date()))
                .where("market_id", .equal, SQLBind(marketID))
                .where("window_start", .equal, SQLBind(change.window.start))
                .where("booked", .lessThanOrEqual, SQLBind(change.capacity))
                .returning("id")
                .all()
            guard changed.isEmpty else { return }
            let booked = try await CareRequestModel.query(on: db)
                .filter(\.$marketID == marketID).filter(\.$windowStart == change.window.start)
                .filter(\.$status != CareRequestStatus.archived.rawValue).filter(\.$synthetic == false)
                .sort(\.$createdMs).all()
            throw StationError.capacityBelowBooked(affected: try booked.map { CareRequestID(try $0.requireID()) })
        }
        return try await boardWindow(of: market, change.window)
    }
}
