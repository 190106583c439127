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
        let claimID: UUID
        switch try await claim(caller: caller, key: idempotencyKey, hash: requestHash) {
        case .replay(let replay): return replay
        case .claimed(let id): claimID = id
        }
        do {
            let id = try await write { db in
                let (id, events) = try await insert(new, on: db)
                // Completes only our own claim: one taken over after it went stale rolls this create back.
                let completed = try await db.sql.update(IdempotencyKeyModel.schema)
                    .set("state", to: SQLBind("completed")).set("care_request_id", to: SQLBind(id.rawValue))
                    .where("id", .equal, SQLBind(claimID)).where("state", .equal, SQLBind("in_progress"))
                    .returning("id").all()
                guard !completed.isEmpty else { throw StationError.idempotencyKeyInFlight }
                try await publish(events, on: db)
                return id
            }
            guard let record = try await careRequest(id) else { throw StationError.notFound("care request") }
            return CreatedCareRequest(record: record, replayed: false)
        } catch {
            // A refused request binds nothing: the caller may retry under the same key with a corrected body.
            _ = try? await write { db in
                try await IdempotencyKeyModel.query(on: db)
                    .filter(\.$id == claimID).filter(\.$state == "in_progress")
                    .delete()
            }
            if error is WindowFull, let market = try await market(servingZip: new.visitAddress.zip) {
                throw StationError.windowFull(next: try await nextAvailableWindows(of: market))
            }
            throw error
        }
    }

    static let syntheticArchiveReason = "Synthetic monitoring request: archived as it was made, never dispatched."

    /// How long a claimed key stays in flight before another request with it may take over: far longer than a
    /// create takes, so only a caller that died half-way (a crash, a lost instance) leaves one this old.
    static let idempotencyClaimLifetime: TimeInterval = 60

    private enum Claim {
        case claimed(UUID)
        case replay(CreatedCareRequest)
    }

    /// Claims the key, or answers from what an earlier request with it did. A claim left in flight longer than
    /// `idempotencyClaimLifetime` is released, so the same key can be retried after a crash.
    private func claim(caller: String, key: String, hash: String) async throws -> Claim {
        for _ in 0..<3 {
            if let existing = try await IdempotencyKeyModel.query(on: db)
                .filter(\.$caller == caller).filter(\.$key == key).first()
            {
                guard existing.requestHash == hash else { throw StationError.idempotencyKeyReused }
                if existing.state == "completed", let id = existing.careRequestID,
                    let record = try await careRequest(CareRequestID(id))
                {
                    return .replay(CreatedCareRequest(record: record, replayed: true))
                }
                guard existing.state == "in_progress", let staleID = existing.id,
                    existing.createdAt < now().addingTimeInterval(-Self.idempotencyClaimLifetime)
                else { throw StationError.idempotencyKeyInFlight }
                // Stale: release it (only if nobody else did first) and claim afresh.
                _ = try await write { db in
                    try await db.sql.delete(from: IdempotencyKeyModel.schema)
                        .where("id", .equal, SQLBind(staleID)).where("state", .equal, SQLBind("in_progress"))
                        .run()
                }
                continue
            }
            let row = IdempotencyKeyModel()
            let id = UUID()
            row.id = id
            row.caller = caller
            row.key = key
            row.requestHash = hash
            row.state = "in_progress"
            row.createdAt = timestamp()
            do {
                try await write { db in try await row.create(on: db) }
                return .claimed(id)
            } catch {
                // Another request claimed it first; look again.
                continue
            }
        }
        throw StationError.idempotencyKeyInFlight
    }

    /// Inserts the request and its history; returns its id and the events to publish last in the transaction.
    private func insert(_ new: NewCareRequest, on db: any Database) async throws -> (
        CareRequestID, [NewCareRequestEvent]
    ) {
        var errors = FieldErrors()
        let patient = try await PatientModel.find(new.patientID.rawValue, on: db)
        if patient == nil {
            errors.add("patient_id", "does not name a known patient")
        } else if patient?.partnerID != new.partnerID?.rawValue {
            errors.add(
                "patient_id",
                new.partnerID == nil
                    ? "belongs to a partner: send that partner's partner_id"
                    : "is not a patient of this partner")
        }
        if try await ServiceLineModel.find(new.serviceLineID.rawValue, on: db) == nil {
            errors.add("service_line_id", "does not name a known service line")
        }
        let market = try await MarketModel.query(on: db).all().first { $0.zipCodes.contains(new.visitAddress.zip) }
        if market == nil {
            errors.add("visit_address.zip", "is outside every market we serve; please call us to schedule")
        }
        if let partner = new.partnerID, let market,
            !(try await Self.mayBook(partner: partner, in: market.requireID(), on: db))
        {
            errors.add("visit_address.zip", "is in the \(market.name) market, where this partner does not book")
        }
        if let window = new.timeWindow, let market, !market.schedule.isBookable(window, now: now()) {
            errors.add(
                "time_window",
                "is not one of the \(market.name) market's published time windows still ahead (two weeks are published)"
            )
        }
        guard errors.isEmpty, let market else { throw StationError.invalid(errors) }

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
        try await model.create(on: db)
        let actor = new.createdByUserID ?? new.source.rawValue
        try await StatusChangeModel(
            careRequestID: id, from: nil, to: new.initialStatus, actor: actor, reason: nil, at: at
        ).create(on: db)
        var events = [
            NewCareRequestEvent.created(
                CareRequestID(id), partner: new.partnerID, status: new.initialStatus, window: new.timeWindow, at: at)
        ]
        if new.synthetic {
            // The smoke check's request ends as it begins: created, then archived in the same transaction, so it
            // never reaches a dispatcher's queue while the detail (by id) still shows what was made.
            model.setStatus(.archived)
            try await model.save(on: db)
            try await StatusChangeModel(
                careRequestID: id, from: new.initialStatus, to: .archived, actor: actor,
                reason: Self.syntheticArchiveReason, at: at.addingTimeInterval(0.001)
            ).create(on: db)
            events.append(
                .statusChanged(
                    CareRequestID(id), partner: new.partnerID, from: new.initialStatus, to: .archived,
                    window: new.timeWindow, eta: nil, at: at.addingTimeInterval(0.001)))
        }
        return (CareRequestID(id), events)
    }
}
