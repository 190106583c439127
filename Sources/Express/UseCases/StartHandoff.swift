import ExpressDomain
import Platform
import Vocabulary

/// "New care request": pushes what Express knows to OSS, which answers with a one-time link to start it there.
struct StartHandoff: Sendable {
    let service: ExpressService

    /// Leave to start a care request now; only ``permit(_:)`` makes one, so no handoff is pushed without it.
    struct Permit: Sendable {
        fileprivate let user: ActingUser
    }

    /// Schedulers and admins may, where the partner has online scheduling on.
    func permit(_ user: ActingUser) async throws -> Permit {
        guard user.role.canSchedule else { throw UseCaseRefusal.notAllowed }
        guard try await service.flags(user.partner).contains(.ossHandoff) else {
            throw UseCaseRefusal.onlineSchedulingOff
        }
        return Permit(user: user)
    }

    /// Pushes the handoff and logs and audits it with the handle's fingerprint (never the handle, never PHI).
    func callAsFunction(_ permit: Permit, patient: PatientID?, context: UseCaseContext) async throws -> PushedHandoff {
        let user = permit.user
        let handoff = try await service.handoffs.push(
            HandoffRequest(
                partner: user.partner, user: user.id, patient: patient,
                returnURL: "\(service.config.publicURL)/care-requests/returned",
                synthetic: user.synthetic))
        let fingerprint = Secrets.handoffFingerprint(handoff.handle)
        context.logger.info(
            "handoff pushed",
            metadata: [
                "handoff_fingerprint": .string(fingerprint), "partner_id": .string(user.partner.wire),
                "user_id": .string(user.id.wire),
            ])
        try await service.audit.record(
            AuditEntry(
                action: "care_request.start", careRequests: [], patients: patient.map { [$0] } ?? [],
                outcome: "handoff", detail: "handoff \(fingerprint)"), context.audit)
        await service.track(
            "care_request_started", user: user, properties: ["with_patient": patient == nil ? "no" : "yes"])
        return handoff
    }
}
