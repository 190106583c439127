import ExpressDomain
import Foundation
import Platform
import Vapor
import Vocabulary

/// One endpoint: its settings, its secret (once, right after it is made or rotated), its delivery log with every
/// attempt, and the admin's changes to it.
extension WebhooksController {
    struct AttemptRow: Encodable {
        var at: String
        var statusCode: String
        var latency: String
        var error: String?
        var nextRetry: String
    }

    struct DeliveryRow: Encodable {
        var id: String
        var webhookID: String
        var eventType: String
        var careRequest: String
        var status: String
        var attempts: [AttemptRow]
    }

    struct Detail: Encodable {
        var id: String
        var url: String
        var description: String
        var enabled: Bool
        var disabledReason: String?
        var createdAt: String
        var types: [TypeChoice]
        var secret: String?
        var previousSecretUntil: String?
        var deliveries: [DeliveryRow]
        var confirmDelete: Bool
        var errors: [String: String]
    }

    func endpointID(_ req: Request) throws -> WebhookEndpointID {
        guard let id = req.parameters.get("id").flatMap(WebhookEndpointID.init(wire:)) else {
            throw UseCaseRefusal.notFound
        }
        return id
    }

    func renderDetail(
        _ req: Request, _ id: WebhookEndpointID, secret: String? = nil, confirmDelete: Bool = false,
        errors: [String: String] = [:], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let user = try req.user()
        let context = req.useCase(user)
        let endpoint = try await endpoints.find(context, id)
        let zone = user.timeZone
        let when = { (date: Date) in Wording.exact(date, zone: zone) }
        let deliveries = try await endpoints.deliveries(context, id).map { delivery in
            DeliveryRow(
                id: delivery.id.uuidString.lowercased(), webhookID: delivery.messageID,
                eventType: delivery.eventType ?? "—", careRequest: delivery.careRequest ?? "—",
                status: delivery.status.rawValue.capitalized,
                attempts: delivery.attempts.map {
                    AttemptRow(
                        at: when($0.at), statusCode: $0.statusCode.map(String.init) ?? "No answer",
                        latency: "\($0.latencyMilliseconds) ms", error: $0.error,
                        nextRetry: $0.nextAttemptAt.map(when) ?? "—")
                })
        }
        let now = service.now()
        let detail = Detail(
            id: endpoint.id.wire, url: endpoint.url, description: endpoint.description, enabled: endpoint.enabled,
            disabledReason: endpoint.disabledReason, createdAt: when(endpoint.createdAt),
            types: TypeChoice.all(checked: Set(endpoint.eventTypes.map(\.rawValue))), secret: secret,
            previousSecretUntil: endpoint.secrets.signing(at: now).count > 1
                ? endpoint.secrets.previousExpiresAt.map(when) : nil,
            deliveries: deliveries, confirmDelete: confirmDelete, errors: errors)
        let title = endpoint.description.isEmpty ? "Webhook endpoint" : endpoint.description
        return try await req.page("webhook", title: title, section: "webhooks", detail, status: status)
    }

    func show(req: Request) async throws -> Response {
        try await refusals(req) { try await renderDetail(req, try endpointID(req)) }
    }

    func confirmDelete(req: Request) async throws -> Response {
        try await refusals(req) { try await renderDetail(req, try endpointID(req), confirmDelete: true) }
    }

    func delete(req: Request) async throws -> Response {
        try await refusals(req) {
            try await endpoints.delete(req.useCase(try req.user()), try endpointID(req))
            req.flash("success", "The webhook endpoint was deleted. Nothing more will be sent to it.")
            return req.redirect(to: "/webhooks")
        }
    }

    struct TypesForm: Content {
        var eventTypes: [String]?
        enum CodingKeys: String, CodingKey { case eventTypes = "event_types" }
    }

    func changeTypes(req: Request) async throws -> Response {
        try await refusals(req) {
            let id = try endpointID(req)
            do {
                _ = try await endpoints.update(
                    req.useCase(try req.user()), id, eventTypes: try req.content.decode(TypesForm.self).eventTypes ?? []
                )
            } catch let invalid as WebhookEndpoints.Invalid {
                return try await renderDetail(req, id, errors: invalid.errors, status: .unprocessableEntity)
            }
            req.flash("success", "The event types were saved.")
            return req.redirect(to: "/webhooks/\(id.wire)")
        }
    }

    func enable(req: Request) async throws -> Response { try await setEnabled(req, true) }

    func disable(req: Request) async throws -> Response { try await setEnabled(req, false) }

    func setEnabled(_ req: Request, _ enabled: Bool) async throws -> Response {
        try await refusals(req) {
            let id = try endpointID(req)
            _ = try await endpoints.update(req.useCase(try req.user()), id, enabled: enabled)
            req.flash(
                "success",
                enabled
                    ? "The endpoint is enabled; deliveries still pending are retried."
                    : "The endpoint is disabled; no events are sent to it until you enable it again.")
            return req.redirect(to: "/webhooks/\(id.wire)")
        }
    }

    func rotate(req: Request) async throws -> Response {
        try await refusals(req) {
            let id = try endpointID(req)
            let rotated = try await endpoints.rotateSecret(req.useCase(try req.user()), id)
            return try await renderDetail(req, id, secret: rotated.secret)
        }
    }

    func replay(req: Request) async throws -> Response {
        try await refusals(req) {
            let id = try endpointID(req)
            guard let delivery = req.parameters.get("delivery").flatMap(UUID.init(uuidString:)) else {
                throw UseCaseRefusal.notFound
            }
            try await endpoints.replay(req.useCase(try req.user()), id, delivery: delivery)
            req.flash("success", "The delivery will be sent again in a moment.")
            return req.redirect(to: "/webhooks/\(id.wire)")
        }
    }
}
