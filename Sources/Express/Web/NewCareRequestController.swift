import Crypto
import Foundation
import Platform
import Vapor

/// "New care request": pushes the handoff to OSS and sends the browser there with the handle alone, or,
/// where the partner has not turned on online scheduling, says how to schedule by phone.
struct NewCareRequestController: RouteCollection {
    let service: ExpressService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("care-requests", "new", use: form)
        routes.post("care-requests", "new", use: start)
    }

    struct Context: Encodable {
        var phoneOnly: Bool
        var phone: String
    }

    func form(req: Request) async throws -> Response {
        let user = try req.user()
        guard user.role.canSchedule else { return try await refused(req) }
        let online = try await service.flags(user.partnerID).contains(.ossHandoff)
        return try await req.page("new-care-request", title: "New care request", section: "new",
                                  Context(phoneOnly: !online, phone: service.config.supportPhone))
    }

    func refused(_ req: Request) async throws -> Response {
        let user = try req.user()
        try await service.audit.record(AuditEntry(userID: user.id, partnerID: user.partnerID, action: "care_request.start",
                                                  outcome: "denied", detail: "role \(user.role.rawValue)"), request: req)
        return try await req.notice(.forbidden, title: "You cannot start care requests",
            message: "Your role lets you view care requests but not start them. Ask your Express admin if you need to.", section: "new")
    }

    struct StartForm: Content {
        var patient_id: String?
    }

    func start(req: Request) async throws -> Response {
        let user = try req.user()
        guard user.role.canSchedule else { return try await refused(req) }
        guard try await service.flags(user.partnerID).contains(.ossHandoff) else {
            return try await req.page("new-care-request", title: "New care request", section: "new",
                                      Context(phoneOnly: true, phone: service.config.supportPhone))
        }
        let form = try req.content.decode(StartForm.self)
        var patient: UUID?
        if let raw = form.patient_id, !raw.isEmpty {
            guard let id = UUID(uuidString: raw) else {
                return try await req.notice(.badRequest, title: "That patient link is not valid", message: "Search for the patient again.",
                                            section: "new", link: ("/patients", "Search patients"))
            }
            patient = id
        }
        do {
            let handoff = try await Self.push(service, user: user, patient: patient, request: req)
            return req.redirect(to: handoff.startURL)
        } catch let error as ServiceUnavailable {
            req.logger.warning("handoff failed", metadata: ["service": .string(error.service)])
            return try await req.notice(.serviceUnavailable, title: "Online scheduling is unavailable right now",
                message: "We could not open online scheduling. Please try again in a moment, or call us at \(service.config.supportPhone).",
                section: "new", link: ("/care-requests/new", "Try again"))
        }
    }

    /// Pushes the handoff and logs it with the handle's fingerprint (never the handle, never PHI).
    static func push(_ service: ExpressService, user: SessionUser, patient: UUID?, request: Request) async throws -> PushedHandoff {
        let handoff = try await service.handoffs.push(partner: user.partnerID, user: user.id, patient: patient,
                                                      returnURL: "\(service.config.publicURL)/care-requests/returned",
                                                      synthetic: user.synthetic)
        request.logger.info("handoff pushed", metadata: [
            "handoff_fingerprint": .string(fingerprint(handoff.handle)), "partner_id": .string(user.partnerID.uuidString.lowercased()),
            "user_id": .string(user.id.uuidString.lowercased()),
        ])
        try await service.audit.record(AuditEntry(userID: user.id, partnerID: user.partnerID, action: "care_request.start",
                                                  patientIDs: patient.map { [$0.uuidString.lowercased()] } ?? [], outcome: "handoff",
                                                  detail: "handoff \(fingerprint(handoff.handle))"), request: request)
        await service.track("care_request_started", user: user, properties: ["with_patient": patient == nil ? "no" : "yes"])
        return handoff
    }

    /// The first 12 hex characters of the handle's SHA-256: enough to trace, useless to redeem.
    static func fingerprint(_ handle: String) -> String {
        String(SHA256.hash(data: Data(handle.utf8)).map { String(format: "%02x", $0) }.joined().prefix(12))
    }
}
