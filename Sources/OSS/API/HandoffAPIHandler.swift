import Foundation
import OSSAPI
import OSSDomain
import Platform
import Vapor
import Vocabulary

/// The server side of the handoff push (RFC 9126-like): attributes stay here under a one-time handle.
struct HandoffAPIHandler: APIProtocol {
    let service: OSSService

    static let scopes: [String: String?] = ["createHandoff": "oss.handoffs.create"]

    func createHandoff(_ input: Operations.CreateHandoff.Input) async throws -> Operations.CreateHandoff.Output {
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the handoff as JSON.") }
        let handle = WebSession.randomID()
        let push = Handoff.Push(
            partner: body.partnerId, user: body.userId, patient: body.patientId, returnURL: body.returnUrl,
            synthetic: body.synthetic ?? false, intent: body.intent.map(HandoffIntent.init) ?? .new,
            careRequest: body.careRequestId)
        let handoff: Handoff
        switch Handoff.create(
            push, handle: handle, now: service.now(), lifetime: service.config.handoffLifetime,
            allowedReturnOrigins: service.config.allowedReturnOrigins)
        {
        case .success(let made): handoff = made
        case .failure(let refusal):
            throw Problem.validation(refusal.fields.map { .init(field: $0.field, message: $0.message) })
        }
        try await service.create(handoff)
        ServiceMetrics.count("handoffs_total", [("event", "created")])
        CurrentOSSRequest.value?.logger.info(
            "handoff received",
            metadata: [
                "handoff_fingerprint": .string(handoff.fingerprint), "partner_id": .string(handoff.partner.wire),
                "intent": .string(handoff.intent.rawValue),
            ])
        var components = URLComponents(string: service.config.publicURL + "/partner/start")!
        components.queryItems = [URLQueryItem(name: "handoff", value: handle)]
        return .created(
            .init(body: .json(.init(handoff: handle, expiresAt: handoff.expiresAt, startUrl: components.string!))))
    }
}

extension HandoffIntent {
    init(_ intent: Components.Schemas.HandoffRequest.IntentPayload) {
        switch intent {
        case .new: self = .new
        case .reschedule: self = .reschedule
        case .cancel: self = .cancel
        }
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
