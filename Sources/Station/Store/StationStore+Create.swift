import Fluent
import Platform
import Foundation

/// The result of a create: a new care request, or the replay of the one an earlier identical request made.
struct CreatedCareRequest: Sendable {
    var record: CareRequestRecord
    var replayed: Bool
}

extension StationStore {
    /// Creates a care request exactly once per (caller, idempotency key), reserving its time window in the
    /// same transaction.
    func createCareRequest(_ new: NewCareRequest, caller: String, idempotencyKey: String, requestHash: String) async throws -> CreatedCareRequest {
        do {
            try new.validate()
        } catch {
            throw StationError.invalid(error)
        }
        if let replay = try await claim(caller: caller, key: idempotencyKey, hash: requestHash) {
            return replay
        }
        do {
            let id = try await write { db in
                let id = try await insert(new, on: db)
                try await IdempotencyKeyModel.query(on: db)
                    .filter(\.$caller == caller).filter(\.$key == idempotencyKey)
                    .set(\.$state, to: "completed").set(\.$careRequestID, to: id.rawValue)
                    .update()
                return id
            }
            guard let record = try await careRequest(id) else { throw StationError.notFound("care request") }
            return CreatedCareRequest(record: record, replayed: false)
        } catch {
            // A refused request binds nothing: the caller may retry under the same key with a corrected body.
            _ = try? await write { db in
                try await IdempotencyKeyModel.query(on: db)
                    .filter(\.$caller == caller).filter(\.$key == idempotencyKey).filter(\.$state == "in_progress")
                    .delete()
            }
            if error is WindowFull, let market = try await market(servingZip: new.visitAddress.zip) {
                throw StationError.windowFull(next: try await nextAvailableWindows(of: market))
            }
            throw error
        }
    }

    /// Claims the key, or answers from what an earlier request with it did.
    private func claim(caller: String, key: String, hash: String) async throws -> CreatedCareRequest? {
        for _ in 0..<2 {
            if let existing = try await IdempotencyKeyModel.query(on: db)
                .filter(\.$caller == caller).filter(\.$key == key).first() {
                guard existing.requestHash == hash else { throw StationError.idempotencyKeyReused }
                guard existing.state == "completed", let id = existing.careRequestID,
                      let record = try await careRequest(CareRequestID(id))
                else { throw StationError.idempotencyKeyInFlight }
                return CreatedCareRequest(record: record, replayed: true)
            }
            let row = IdempotencyKeyModel()
            row.id = UUID()
            row.caller = caller
            row.key = key
            row.requestHash = hash
            row.state = "in_progress"
            row.createdAt = timestamp()
            do {
                try await write { db in try await row.create(on: db) }
                return nil
            } catch {
                // Another request claimed it first; look again.
                continue
            }
        }
        throw StationError.idempotencyKeyInFlight
    }

    private func insert(_ new: NewCareRequest, on db: any Database) async throws -> CareRequestID {
        var errors = FieldErrors()
        let patient = try await PatientModel.find(new.patientID.rawValue, on: db)
        if patient == nil {
            errors.add("patient_id", "does not name a known patient")
        } else if patient?.partnerID != new.partnerID?.rawValue {
            errors.add("patient_id", new.partnerID == nil
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
        if let window = new.timeWindow, let market, !market.schedule.isBookable(window, now: now()) {
            errors.add("time_window", "is not an upcoming time window of the \(market.name) market")
        }
        guard errors.isEmpty, let market else { throw StationError.invalid(errors) }

        if let window = new.timeWindow {
            try await Self.reserve(window, in: market, on: db)
        }
        let at = timestamp()
        let model = CareRequestModel()
        model.id = UUID()
        model.partnerID = new.partnerID?.rawValue
        model.patientID = new.patientID.rawValue
        model.marketID = market.id!
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
        model.createdMs = Int64((at.timeIntervalSince1970 * 1000).rounded())
        model.createdAt = at
        model.updatedAt = at
        try await model.create(on: db)
        try await StatusChangeModel(careRequestID: model.id!, from: nil, to: new.initialStatus,
                                    actor: new.createdByUserID ?? new.source.rawValue, reason: nil, at: at).create(on: db)
        return CareRequestID(model.id!)
    }
}
