import Foundation
import OSSDomain
import Platform
import Vapor
import Vocabulary

extension HandoffController {
    struct PageResponse: Error { var response: Response }

    /// The patient's details from Station, if Policy allows the handoff's user to schedule for them.
    func prefill(_ patientID: PatientID, for handoff: Handoff, user: FlowUser, req: Request) async throws -> Result<
        Draft.Answers, PageResponse
    > {
        let partner = handoff.partner
        let patient: PatientRecord
        do {
            guard let found = try await service.downstream.station.patient(patientID, of: partner) else {
                await service.audit(
                    "patient.prefill", actor: user.owner.actor, partner: partner.rawValue, subject: patientID.wire,
                    outcome: "not_found", request: req)
                return .failure(
                    PageResponse(
                        response: try await req.ossNotice(
                            .notFound, app: app, title: "Patient not found",
                            message: "We could not find this patient for your organization. Search again in Express.",
                            linkURL: back(.patientNotFound), linkText: "Back to Express")))
            }
            patient = found
        } catch let error as Unavailable {
            return .failure(PageResponse(response: try await unavailable(req, error, handoff)))
        }
        let decision: PolicyDecision
        do {
            decision = try await service.downstream.policy.maySchedule(
                SchedulingQuestion(
                    user: handoff.user, partner: partner, roles: user.roles.compactMap(PartnerRole.init(rawValue:)),
                    patient: patient.id, patientPartner: patient.partner))
        } catch let error as Unavailable {
            return .failure(PageResponse(response: try await unavailable(req, error, handoff)))
        }
        guard decision.allowed else {
            await service.audit(
                "patient.prefill", actor: user.owner.actor, partner: partner.rawValue, subject: patient.id.wire,
                outcome: "denied",
                detail: "\(decision.id): \(decision.reason)", request: req)
            return .failure(
                PageResponse(
                    response: try await req.ossNotice(
                        .forbidden, app: app, title: "You cannot schedule for this patient",
                        message:
                            "Your account is not allowed to schedule visits for this patient (\(decision.reason)). Reference: \(decision.id).",
                        linkURL: back(.notAllowed), linkText: "Back to Express")))
        }
        await service.audit(
            "patient.prefill", actor: user.owner.actor, partner: partner.rawValue, subject: patient.id.wire,
            outcome: "allowed",
            detail: decision.id, request: req)
        return .success(
            Draft.Answers(
                patient: .existing(
                    .init(
                        id: patient.id, name: "\(patient.givenName) \(patient.familyName)",
                        dateOfBirth: patient.dateOfBirth)),
                address: patient.address.map {
                    .init(line1: $0.line1, line2: $0.line2 ?? "", city: $0.city, state: $0.state, zip: $0.zip)
                }))
    }

    func unavailable(_ req: Request, _ error: Unavailable, _ handoff: Handoff) async throws -> Response {
        req.logger.warning("downstream unavailable", metadata: ["service": .string(error.service)])
        await service.attemptTracker(handoff).phonePage(PhoneReason(error))
        return try await req.ossNotice(
            .serviceUnavailable, app: app, title: "We could not continue just now",
            message:
                "\(error.service) did not answer. Nothing is lost: try again in a moment, or call us at \(service.config.supportPhone).",
            linkURL: back(.unavailable), linkText: "Back to Express", retry: req.method == .GET)
    }
}
