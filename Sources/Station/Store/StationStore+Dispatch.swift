import Fluent
import Foundation
import SQLKit
import StationDomain
import Vocabulary

extension StationStore {
    /// Moves a care request along an allowed transition and records it in the history.
    ///
    /// The update is conditional on the status the move was checked from, so of two callers moving the same
    /// request at once exactly one wins, on every database; the other learns who did (``StatusConflict``).
    /// With `expected`, a request no longer in that status is refused the same way before anything is checked.
    func changeStatus(
        _ id: CareRequestID, to next: CareRequestStatus, actor: String, reason: String?,
        eta: DateInterval?, partner: PartnerID?? = .none, markets: MarketAccess = .all,
        expected: CareRequestStatus? = nil
    ) async throws -> CareRequestRecord {
        // Read and checked before the transaction, so that on SQLite the write gate is held only for the writes:
        // the move is conditional on this status and market, so a change that commits meanwhile makes it a conflict.
        guard let model = try await CareRequestModel.find(id.rawValue, on: db),
            markets.allows(MarketID(model.marketID))
        else {
            throw StationError.notFound("care request")
        }
        if case .some(let scope) = partner, model.partnerID != scope?.rawValue {
            throw StationError.notFound("care request")
        }
        let current = model.statusValue
        if let expected, expected != current {
            throw StationError.statusConflict(try await conflict(id, market: model.marketID, on: db))
        }
        do {
            try StatusTransition(from: current, to: next, reason: reason, eta: eta).validate(now: now())
        } catch let refusal as StatusTransition.Refusal {
            throw StationError.transition(refusal)
        }
        try await write { db in
            let at = timestamp()
            let moved = try await Self.move(
                id, from: current, to: next, eta: eta, market: model.marketID, at: at, on: db
            ) {
                try await conflict(id, market: model.marketID, on: db)
            }
            try await StatusChangeModel(
                careRequestID: id.rawValue, from: current, to: next, actor: actor,
                reason: reason, at: at
            ).insert(on: db)
            // The place the request holds now, as the move left it: a reschedule that committed since `model` was
            // read has moved it (and given the old place back already).
            if next == .archived, let window = moved.window {
                try await Self.release(window, marketID: model.marketID, on: db)
            }
            try await publish(
                [
                    .statusChanged(
                        id, partner: model.partnerID.map { PartnerID($0) }, from: current, to: next,
                        window: moved.window, eta: moved.eta, at: at)
                ], on: db)
        }
        // The whole record is read after the commit, outside the write gate (which on SQLite every change of Station
        // waits for): its patient, market, service line and history took most of the time the transaction held it.
        guard let record = try await careRequest(id) else { throw StationError.notFound("care request") }
        return record
    }

    /// Sets the status (and the ETA or window given) only while the request is still in `current`; otherwise
    /// throws the conflict `lost` describes. Both databases re-check the `WHERE` after waiting for a concurrent
    /// writer's row lock, so only one of two racing moves changes a row. With `market`, the request must still be
    /// in that market too. Returns the place and ETA the row holds after the move.
    @discardableResult
    static func move(
        _ id: CareRequestID, from current: CareRequestStatus, to next: CareRequestStatus, eta: DateInterval? = nil,
        window: DateInterval? = nil, market: UUID? = nil, at: Date, on db: any Database,
        lost: () async throws -> StatusConflict
    ) async throws -> Moved {
        let update = db.sql.update(CareRequestModel.schema)
            .set("status", to: SQLBind(next.rawValue)).set("phase", to: SQLBind(next.phase.rawValue))
            .set("updated_at", to: SQLBind(at))
        if let eta {
            update.set("eta_start", to: SQLBind(eta.start)).set("eta_end", to: SQLBind(eta.end))
        }
        if let window {
            update.set("window_start", to: SQLBind(window.start)).set("window_end", to: SQLBind(window.end))
                .set("pinned_care_team_id", to: SQLLiteral.null)
                .set("pinned_by", to: SQLLiteral.null).set("extra_visit_minutes", to: SQLLiteral.null)
        }
        update.where("id", .equal, SQLBind(id.rawValue)).where("status", .equal, SQLBind(current.rawValue))
        if let market { update.where("market_id", .equal, SQLBind(market)) }
        let moved =
            try await update
            .returning("window_start", "window_end", "eta_start", "eta_end").all()
        guard let row = moved.first else { throw StationError.statusConflict(try await lost()) }
        return Moved(
            window: CareRequestModel.interval(
                try row.decode(column: "window_start", as: Date?.self),
                try row.decode(column: "window_end", as: Date?.self)),
            eta: CareRequestModel.interval(
                try row.decode(column: "eta_start", as: Date?.self), try row.decode(column: "eta_end", as: Date?.self)))
    }

    /// Where a moved request is now: its window and ETA as the row holds them after the move.
    struct Moved {
        var window: DateInterval?
        var eta: DateInterval?
    }

    /// What the request is now and its last change, for a caller whose move lost.
    func conflict(_ id: CareRequestID, market: UUID, on db: any Database) async throws -> StatusConflict {
        guard let model = try await CareRequestModel.find(id.rawValue, on: db) else {
            throw StationError.notFound("care request")
        }
        let last = try await StatusChangeModel.query(on: db)
            .filter(\.$careRequestID == id.rawValue)
            .sort(\.$changedAt, .descending).first()
        let zone = try await MarketModel.find(market, on: db).map(\.schedule.timeZone) ?? .gmt
        return StatusConflict(current: model.statusValue, lastChange: last?.domain, timeZone: zone)
    }
}
