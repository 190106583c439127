import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import StationDomain
import Vocabulary

/// For whom a change is asked: a partner's request (and, when named, its patient), or a patient's own request
/// made without a partner. Any other request is unknown to the caller (404).
enum ChangeScope: Sendable, Equatable {
    case partner(PartnerID, patient: PatientID?)
    case patient(PatientID)

    func allows(_ model: CareRequestModel) -> Bool {
        switch self {
        case .partner(let partner, let patient):
            model.partnerID == partner.rawValue && (patient.map { $0.rawValue == model.patientID } ?? true)
        case .patient(let patient):
            model.partnerID == nil && model.patientID == patient.rawValue
        }
    }
}

/// The window a reschedule chose filled up first; the transaction rolls back before the next windows are asked.
private struct RescheduleWindowFull: Error {
    let market: MarketModel
}

extension StationStore {
    /// A partner's or patient's cancellation or reschedule (``RequesterChange``), once per (caller, key).
    ///
    /// One transaction: the update is conditional on the status and calendar sequence the change was checked
    /// against, so of two changes racing for one request (or a change racing a dispatcher) exactly one applies
    /// and the other is told what happened. A reschedule reserves the new place and gives back the old one in
    /// it (never two places, never none, never overbooked); a cancellation gives back its place.
    func change(
        _ id: CareRequestID, _ change: RequesterChange, scope: ChangeScope, actor: String, caller: String,
        idempotencyKey: String, requestHash: String
    ) async throws -> (record: CareRequestRecord, replayed: Bool) {
        do {
            try change.validate()
        } catch {
            throw StationError.invalid(error)
        }
        let outcome: IdempotentOutcome
        // Where a reschedule moves the visit from: that day's plan loses a stop, and is searched again too.
        let vacated = NIOLockedValueBox<(market: UUID, start: Date)?>(nil)
        do {
            outcome = try await once(caller: caller, key: idempotencyKey, hash: requestHash) { db in
                guard let model = try await CareRequestModel.find(id.rawValue, on: db), scope.allows(model) else {
                    throw StationError.notFound("care request")
                }
                if case .reschedule = change, let old = model.timeWindow {
                    vacated.withLockedValue { $0 = (model.marketID, old.start) }
                }
                let events =
                    switch change {
                    case .cancel(let reason, let note):
                        try await cancel(model, reason: reason, note: note, actor: actor, on: db)
                    case .reschedule(let window, let address):
                        try await reschedule(model, change, to: window, address: address, actor: actor, on: db)
                    }
                return (id, events)
            }
        } catch let full as RescheduleWindowFull {
            // Asked after the rollback, so the answer counts only places really taken.
            throw StationError.windowFull(next: try await nextAvailableWindows(of: full.market))
        }
        guard let record = try await careRequest(outcome.careRequest), scope.allows(record.model) else {
            throw StationError.notFound("care request")
        }
        if !outcome.replayed {
            searchPlanAgain(after: record)
            if let (market, start) = vacated.withLockedValue({ $0 }) { searchPlanAgain(of: market, at: start) }
        }
        return (record, outcome.replayed)
    }

    private func cancel(
        _ model: CareRequestModel, reason: CancellationReason, note: String?, actor: String, on db: any Database
    ) async throws -> [NewCareRequestEvent] {
        let id = CareRequestID(try model.requireID())
        let current = model.statusValue
        if let closed = RequesterChange.closure(of: current) { throw StationError.changeClosed(closed) }
        let at = timestamp()
        let note = note.nilIfEmpty
        let update = db.sql.update(CareRequestModel.schema)
            .set("status", to: SQLBind(CareRequestStatus.archived.rawValue))
            .set("phase", to: SQLBind(CareRequestStatus.archived.phase.rawValue))
            .set("cancel_reason", to: SQLBind(reason.rawValue)).set("cancel_note", to: SQLBind(note))
            .set("cancelled_at", to: SQLBind(at)).set("cancelled_by", to: SQLBind(actor))
        try await conditionally(update, model, at: at, on: db)
        if let window = model.timeWindow, !model.synthetic {
            try await Self.release(window, marketID: model.marketID, on: db)
        }
        try await StatusChangeModel(
            careRequestID: id.rawValue, from: current, to: .archived, actor: actor,
            reason: RequesterChange.cancel(reason, note: note).historyReason(from: nil, in: .gmt), at: at
        ).insert(on: db)
        return [
            .cancelled(
                id, partner: model.partnerID.map { PartnerID($0) }, from: current, window: model.timeWindow, at: at)
        ]
    }

    private func reschedule(
        _ model: CareRequestModel, _ change: RequesterChange, to window: DateInterval, address: Address?,
        actor: String, on db: any Database
    ) async throws -> [NewCareRequestEvent] {
        let id = CareRequestID(try model.requireID())
        let current = model.statusValue
        guard let oldMarket = try await MarketModel.find(model.marketID, on: db) else {
            throw StationError.notFound("market")
        }
        let market = try await targetMarket(model, address: address, current: oldMarket, on: db)
        let marketID = try market.requireID()
        let found = RequesterChange.Current(status: current, window: model.timeWindow, market: MarketID(model.marketID))
        let target = RequesterChange.Target(market: MarketID(marketID), name: market.name, schedule: market.schedule)
        do {
            try change.check(found, target: target, now: now())
        } catch .closed(let closed) {
            throw StationError.changeClosed(closed)
        } catch .invalid(let errors) {
            throw StationError.invalid(errors)
        }
        guard let old = model.timeWindow else { throw StationError.changeClosed(.noWindow) }
        let next = change.nextStatus(from: current)
        let at = timestamp()
        let update = db.sql.update(CareRequestModel.schema)
            .set("status", to: SQLBind(next.rawValue)).set("phase", to: SQLBind(next.phase.rawValue))
            .set("window_start", to: SQLBind(window.start)).set("window_end", to: SQLBind(window.end))
            .set("eta_start", to: SQLLiteral.null).set("eta_end", to: SQLLiteral.null)
            .set("market_id", to: SQLBind(marketID))
            // A dispatcher's pin and extra minutes were for the visit as it was: the moved visit is planned afresh.
            .set("pinned_care_team_id", to: SQLLiteral.null)
            .set("pinned_by", to: SQLLiteral.null).set("extra_visit_minutes", to: SQLLiteral.null)
        try await conditionally(update, model, at: at, on: db)
        if let address {
            try await CareRequestModel.query(on: db).filter(\.$id == id.rawValue)
                .set(\.$visitAddress, to: address).update()
        }
        // The target market's row first, as every booking takes it (shared) before any window's row, so an
        // administration change of that market (exclusive) never waits on us while we wait on it. Then both
        // places in one order every transaction keeps (market, then start), so two reschedules crossing each
        // other's windows cannot wait on each other.
        _ = try await Self.lockMarket(marketID, exclusive: false, on: db)
        let releaseFirst = (model.marketID.uuidString, old.start) < (marketID.uuidString, window.start)
        if releaseFirst { try await Self.release(old, marketID: model.marketID, on: db) }
        do {
            try await Self.reserve(window, in: market, on: db)
        } catch is WindowFull {
            throw RescheduleWindowFull(market: market)
        }
        if !releaseFirst { try await Self.release(old, marketID: model.marketID, on: db) }
        let zone = market.schedule.timeZone
        try await StatusChangeModel(
            careRequestID: id.rawValue, from: current, to: next, actor: actor,
            reason: change.historyReason(
                from: old, in: zone, newMarket: marketID == model.marketID ? nil : market.name),
            at: at
        ).insert(on: db)
        return [
            .rescheduled(
                id, partner: model.partnerID.map { PartnerID($0) }, from: current, to: next, window: window, eta: nil,
                at: at)
        ]
    }

    /// The market a new visit address is in (one the partner books in), else the request's own.
    private func targetMarket(
        _ model: CareRequestModel, address: Address?, current: MarketModel, on db: any Database
    ) async throws -> MarketModel {
        guard let address else { return current }
        guard let market = try await BookingReferences.market(serving: address.zip, on: db) else {
            throw StationError.invalid(
                .single("visit_address.zip", "is outside every market we serve; please call us to reschedule"))
        }
        if let partner = model.partnerID,
            !(try await BookingReferences.partner(partner, mayBookIn: market.requireID(), on: db))
        {
            throw StationError.invalid(
                .single("visit_address.zip", "is in the \(market.name) market, where this partner does not book"))
        }
        return market
    }

    /// Runs `update` (with the calendar sequence raised) only while the request is still in the status and
    /// sequence it was checked against; otherwise says what happened: closed now, or changed by someone else.
    private func conditionally(
        _ update: SQLUpdateBuilder, _ model: CareRequestModel, at: Date, on db: any Database
    ) async throws {
        let id = try model.requireID()
        let changed =
            try await update
            .set("calendar_sequence", to: SQLBind(model.calendarSequence + 1)).set("updated_at", to: SQLBind(at))
            .where("id", .equal, SQLBind(id)).where("status", .equal, SQLBind(model.status))
            .where("calendar_sequence", .equal, SQLBind(model.calendarSequence))
            .returning("id").all()
        guard changed.isEmpty else { return }
        if let now = try await CareRequestModel.find(id, on: db),
            let closed = RequesterChange.closure(of: now.statusValue)
        {
            throw StationError.changeClosed(closed)
        }
        throw StationError.statusConflict(try await conflict(CareRequestID(id), market: model.marketID, on: db))
    }
}
