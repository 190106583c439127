import Fluent
import Foundation
import OSSAPI
import Platform
import Vapor

/// The server side of the handoff push (RFC 9126-like): attributes stay here under a one-time handle.
struct HandoffAPIHandler: APIProtocol {
    let service: OSSService

    static let scopes: [String: String?] = ["createHandoff": "oss.handoffs.create"]

    func createHandoff(_ input: Operations.CreateHandoff.Input) async throws -> Operations.CreateHandoff.Output {
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the handoff as JSON.") }
        var errors: [Problem.FieldError] = []
        let partner = UUID(uuidString: body.partnerId)
        if partner == nil { errors.append(.init(field: "partner_id", message: "must be a UUID")) }
        var patient: UUID?
        if let raw = body.patientId {
            patient = UUID(uuidString: raw)
            if patient == nil { errors.append(.init(field: "patient_id", message: "must be a UUID")) }
        }
        if body.userId.trimmingCharacters(in: .whitespaces).isEmpty { errors.append(.init(field: "user_id", message: "is required")) }
        if !ReturnURLPolicy.isAllowed(body.returnUrl, origins: service.config.allowedReturnOrigins) {
            errors.append(.init(field: "return_url", message: "must be on an allow-listed Express origin"))
        }
        guard errors.isEmpty, let partner else { throw Problem.validation(errors) }
        let handle = WebSession.randomID()
        let now = service.now()
        let row = HandoffModel()
        row.id = OSSService.hash(handle)
        row.fingerprint = OSSService.fingerprint(handle)
        row.partnerID = partner
        row.userID = body.userId
        row.patientID = patient
        row.returnURL = body.returnUrl
        row.synthetic = body.synthetic ?? false
        row.createdAt = now
        row.expiresAt = now.addingTimeInterval(service.config.handoffLifetime)
        try await service.write { db in try await row.create(on: db) }
        ServiceMetrics.count("handoffs_total", [("event", "created")])
        CurrentOSSRequest.value?.logger.info("handoff received", metadata: [
            "handoff_fingerprint": .string(row.fingerprint), "partner_id": .string(partner.uuidString.lowercased()),
        ])
        var components = URLComponents(string: service.config.publicURL + "/partner/start")!
        components.queryItems = [URLQueryItem(name: "handoff", value: handle)]
        return .created(.init(body: .json(.init(handoff: handle, expiresAt: row.expiresAt, startUrl: components.string!))))
    }
}

enum CurrentOSSRequest {
    @TaskLocal static var value: Request?
}

struct CurrentOSSRequestMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await CurrentOSSRequest.$value.withValue(request) { try await next.respond(to: request) }
    }
}
