import ExpressDomain
import Platform
import Vocabulary

/// "New care request", "Change time" and "Cancel request": pushes what Express knows to OSS, which answers with a
/// one-time link to go on there. Express never changes a request itself: OSS does, after Policy allows it.
struct StartHandoff: Sendable {
    let service: ExpressService

    /// Leave to start a care request now; only ``permit(_:)`` makes one, so no handoff is pushed without it.
    struct Permit: Sendable {
        fileprivate let user: ActingUser
    }

    /// The request may no longer be changed online (the care team is on the way, or it has ended).
    struct ChangeClosed: Error, Equatable {
        var status: CareRequestStatus
    }

    /// Schedulers and admins may, where the partner has online scheduling on.
    func permit(_ user: ActingUser) async throws -> Permit {
        guard user.role.canSchedule else { throw UseCaseRefusal.notAllowed }
        guard try await service.flags(user.partner).contains(.ossHandoff) else {
            throw UseCaseRefusal.onlineSchedulingOff
        }
        return Permit(user: user)
    }

    /// A pushed handoff and its handle's fingerprint: what logs, audits and analytics know the attempt by.
    struct Started: Sendable {
        var handoff: PushedHandoff
        var fingerprint: String
    }

    /// Pushes the handoff and logs, audits and tracks it (Care Request Started) with the handle's fingerprint
    /// (never the handle, never PHI).
    func callAsFunction(_ permit: Permit, patient: PatientID?, context: UseCaseContext) async throws -> Started {
        let (handoff, fingerprint) = try await push(permit, patient: patient, context: context)
        try await service.audit.record(
            AuditEntry(
                action: "care_request.start", careRequests: [], patients: patient.map { [$0] } ?? [],
                outcome: "handoff", detail: "handoff \(fingerprint)"), context.audit)
        await service.track(
            .attempt(
                .careRequestStarted, .handoff(fingerprint: fingerprint),
                [.audience: .string("partner"), .withPatient: .bool(patient != nil)]),
            user: permit.user)
        return Started(handoff: handoff, fingerprint: fingerprint)
    }

    /// Hands the change of one of the partner's requests over to OSS, once Station says it is the partner's and
    /// may still be changed. Every attempt is audited as `care_request.change_start`, refused or not.
    func callAsFunction(
        _ permit: Permit, change intent: HandoffIntent, of id: CareRequestID, context: UseCaseContext
    ) async throws -> Started {
        let user = permit.user
        guard intent != .new else { throw UseCaseRefusal.notAllowed }
        guard try await service.flags(user.partner).contains(.stationCareRequests) else {
            throw UseCaseRefusal.careRequestsOff
        }
        guard let found = try await service.station.careRequest(partner: user.partner, id: id) else {
            try await audit(intent, careRequestIDs: [id.wire], outcome: "not_found", context)
            throw UseCaseRefusal.notFound
        }
        guard found.allows(intent) else {
            try await audit(intent, found, outcome: "closed", detail: "status \(found.status.rawValue)", context)
            throw ChangeClosed(status: found.status)
        }
        let (handoff, fingerprint) = try await push(permit, intent: intent, careRequest: id, context: context)
        try await audit(intent, found, outcome: "handoff", detail: "\(intent.rawValue) handoff \(fingerprint)", context)
        await service.track(
            .attempt(
                .careRequestChangeStarted, .handoff(fingerprint: fingerprint),
                [.audience: .string("partner"), .intent: .string(intent.rawValue)]),
            user: user)
        return Started(handoff: handoff, fingerprint: fingerprint)
    }

    /// Audits a refused change by a role that may not change requests (nothing of the request was read).
    func denied(_ user: ActingUser, intent: HandoffIntent, id: String, context: UseCaseContext) async throws {
        try await audit(
            intent, careRequestIDs: [String(id.prefix(64))], outcome: "denied", detail: "role \(user.role.rawValue)",
            context)
    }

    private func push(
        _ permit: Permit, patient: PatientID? = nil, intent: HandoffIntent = .new, careRequest: CareRequestID? = nil,
        context: UseCaseContext
    ) async throws -> (PushedHandoff, String) {
        let user = permit.user
        let handoff = try await service.handoffs.push(
            HandoffRequest(
                partner: user.partner, user: user.id, patient: patient,
                returnURL: "\(service.config.publicURL)/care-requests/returned",
                synthetic: user.synthetic, intent: intent, careRequest: careRequest))
        let fingerprint = Secrets.handoffFingerprint(handoff.handle)
        context.logger.info(
            "handoff pushed",
            metadata: [
                "handoff_fingerprint": .string(fingerprint), "partner_id": .string(user.partner.wire),
                "user_id": .string(user.id.wire), "intent": .string(intent.rawValue),
            ])
        return (handoff, fingerprint)
    }

    private func audit(
        _ intent: HandoffIntent, _ request: CareRequestDetail, outcome: String, detail: String,
        _ context: UseCaseContext
    ) async throws {
        try await service.audit.record(
            AuditEntry(
                action: "care_request.change_start", careRequests: [request.id], patients: [request.patient.id],
                outcome: outcome, detail: detail), context.audit)
    }

    private func audit(
        _ intent: HandoffIntent, careRequestIDs: [String], outcome: String, detail: String? = nil,
        _ context: UseCaseContext
    ) async throws {
        try await service.audit.record(
            AuditEntry(
                action: "care_request.change_start", careRequestIDs: careRequestIDs, outcome: outcome,
                detail: detail ?? intent.rawValue), context.audit)
    }
}
