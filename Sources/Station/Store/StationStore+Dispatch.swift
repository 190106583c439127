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
        try await write { db in
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
            let at = timestamp()
            try await Self.move(id, from: current, to: next, eta: eta, at: at, on: db) {
                try await conflict(id, market: model.marketID, on: db)
            }
            try await StatusChangeModel(
                careRequestID: id.rawValue, from: current, to: next, actor: actor,
                reason: reason, at: at
            ).insert(on: db)
            guard let record = try await careRequest(id, on: db) else { throw StationError.notFound("care request") }
            // The place the request holds now, read after the move: a reschedule that committed since `model`
            // was read has moved it (and given the old place back already).
            if next == .archived, let window = record.model.timeWindow {
                try await Self.release(window, marketID: record.model.marketID, on: db)
            }
            try await publish(
                [
                    .statusChanged(
                        id, partner: model.partnerID.map { PartnerID($0) }, from: current, to: next,
                        window: record.model.timeWindow, eta: record.model.eta, at: at)
                ], on: db)
            return record
        }
    }

    /// Sets the status (and the ETA or window given) only while the request is still in `current`; otherwise
    /// throws the conflict `lost` describes. Both databases re-check the `WHERE` after waiting for a concurrent
    /// writer's row lock, so only one of two racing moves changes a row.
    static func move(
        _ id: CareRequestID, from current: CareRequestStatus, to next: CareRequestStatus, eta: DateInterval? = nil,
        window: DateInterval? = nil, at: Date, on db: any Database,
        lost: () async throws -> StatusConflict
    ) async throws {
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
        let moved = try await update.where("id", .equal, SQLBind(id.rawValue))
            .where("status", .equal, SQLBind(current.rawValue))
            .returning("id").all()
        guard !moved.isEmpty else { throw StationError.statusConflict(try await lost()) }
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
