import Fluent
import Foundation
import Platform
import SQLKit
import StationDomain
import Vocabulary

/// The result of a create: a new care request, or the replay of the one an earlier identical request made.
struct CreatedCareRequest: Sendable {
    var record: CareRequestRecord
    var replayed: Bool
}

extension StationStore {
    /// Creates a care request exactly once per (caller, idempotency key), reserving its time window in the
    /// same transaction.
    func createCareRequest(_ new: NewCareRequest, caller: String, idempotencyKey: String, requestHash: String)
        async throws -> CreatedCareRequest
    {
        do {
            try new.validate()
        } catch {
            throw StationError.invalid(error)
        }
        let outcome: IdempotentOutcome
        let made: CareRequestRecord?
        do {
            (outcome, made) = try await once(caller: caller, key: idempotencyKey, hash: requestHash) { db in
                try await insert(new, on: db)
            }
        } catch is WindowFull {
            guard let market = try await market(servingZip: new.visitAddress.zip) else { throw WindowFull() }
            throw StationError.windowFull(next: try await nextAvailableWindows(of: market))
        }
        // A new request answers with the rows its transaction wrote; only a replay reads them again.
        if let made {
            searchPlanAgain(after: made)
            return CreatedCareRequest(record: made, replayed: false)
        }
        guard let record = try await careRequest(outcome.careRequest) else {
            throw StationError.notFound("care request")
        }
        return CreatedCareRequest(record: record, replayed: outcome.replayed)
    }

    static let syntheticArchiveReason = "Synthetic monitoring request: archived as it was made, never dispatched."

    /// Inserts the request and its history; returns its id, the events to publish last in the transaction and
    /// the request as written. Its rows are written with SQLKit: Fluent's model machinery (reflection over every
    /// property) was the largest cost of a booking.
    private func insert(_ new: NewCareRequest, on db: any Database) async throws -> (
        CareRequestID, [NewCareRequestEvent], CareRequestRecord
    ) {
        var errors = FieldErrors()
        let found = try await BookingReferences.read(new, on: db)
        let patient = found.patient
        if patient == nil {
            errors.add("patient_id", "does not name a known patient")
        } else if patient?.partnerID != new.partnerID {
            errors.add(
                "patient_id",
                new.partnerID == nil
                    ? "belongs to a partner: send that partner's partner_id"
                    : "is not a patient of this partner")
        }
        let line = found.serviceLine
        if line == nil {
            errors.add("service_line_id", "does not name a known service line")
        }
        let market = found.market
        if market == nil {
            errors.add("visit_address.zip", "is outside every market we serve; please call us to schedule")
        }
        if new.partnerID != nil, let market, !found.partnerMayBook {
            errors.add("visit_address.zip", "is in the \(market.name) market, where this partner does not book")
        }
        if let window = new.timeWindow, let market, !market.schedule.isBookable(window, now: now()) {
            errors.add(
                "time_window",
                "is not one of the \(market.name) market's published time windows still ahead (two weeks are published)"
            )
        }
        guard errors.isEmpty, let market, let patient, let line else { throw StationError.invalid(errors) }

        // A synthetic request holds no place: it is archived below and nobody will come.
        if let window = new.timeWindow, !new.synthetic {
            try await Self.reserve(window, in: market, on: db)
        }
        let at = timestamp()
        let id = UUID()
        let model = CareRequestModel()
        model.id = id
        model.partnerID = new.partnerID?.rawValue
        model.patientID = new.patientID.rawValue
        model.marketID = try market.requireID()
        model.serviceLineID = new.serviceLineID.rawValue
        model.source = new.source.rawValue
        model.setStatus(new.initialStatus)
        model.chiefComplaint = new.chiefComplaint
        model.visitAddress = new.visitAddress
        model.requester = new.requester
        model.screening = new.screening
        model.insurance = new.insurance
        model.powerOfAttorney = new.powerOfAttorney
        model.callbackContact = new.callbackContact
        model.windowStart = new.timeWindow?.start
        model.windowEnd = new.timeWindow?.end
        model.createdByUserID = new.createdByUserID
        model.synthetic = new.synthetic
        model.createdMs = Int64((at.timeIntervalSince1970 * 1000).rounded())
        model.createdAt = at
        model.updatedAt = at
        model.calendarSequence = 0
        let actor = new.createdByUserID ?? new.source.rawValue
        var history = [
            StatusChangeModel(careRequestID: id, from: nil, to: new.initialStatus, actor: actor, reason: nil, at: at)
        ]
        var events = [
            NewCareRequestEvent.created(
                CareRequestID(id), partner: new.partnerID, status: new.initialStatus, window: new.timeWindow, at: at)
        ]
        if new.synthetic {
            // The smoke check's request ends as it begins: created, then archived in the same transaction, so it
            // never reaches a dispatcher's queue while the detail (by id) still shows what was made.
            model.setStatus(.archived)
            let archivedAt = at.addingTimeInterval(0.001)
            history.append(
                StatusChangeModel(
                    careRequestID: id, from: new.initialStatus, to: .archived, actor: actor,
                    reason: Self.syntheticArchiveReason, at: archivedAt))
            events.append(
                .statusChanged(
                    CareRequestID(id), partner: new.partnerID, from: new.initialStatus, to: .archived,
                    window: new.timeWindow, eta: nil, at: archivedAt))
        }
        // SQL text with binds: a builder quotes and escapes every one of the 23 column names on every booking.
        try await db.sql.raw(
            """
            INSERT INTO care_requests (id, partner_id, patient_id, market_id, service_line_id, source, status, phase, \
            chief_complaint, visit_address, requester, screening, insurance, power_of_attorney, callback_contact, \
            window_start, window_end, created_by_user_id, synthetic, created_ms, created_at, updated_at, \
            calendar_sequence) VALUES (\(bind: id), \(bind: model.partnerID), \(bind: model.patientID), \
            \(bind: model.marketID), \(bind: model.serviceLineID), \(bind: model.source), \(bind: model.status), \
            \(bind: model.phase), \(bind: model.chiefComplaint), \(bind: model.visitAddress), \
            \(bind: model.requester), \(bind: model.screening), \(bind: model.insurance), \
            \(bind: model.powerOfAttorney), \(bind: model.callbackContact), \(bind: model.windowStart), \
            \(bind: model.windowEnd), \(bind: model.createdByUserID), \(bind: model.synthetic), \
            \(bind: model.createdMs), \(bind: model.createdAt), \(bind: model.updatedAt), \
            \(bind: model.calendarSequence))
            """
        ).run()
        for change in history { try await change.insert(on: db) }
        let record = CareRequestRecord(
            model: model, patient: patient, market: market, serviceLine: line,
            history: history.map(\.domain))
        return (CareRequestID(id), events, record)
    }
}
