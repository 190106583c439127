import ExpressDomain
import Fluent
import Foundation
import Platform
import Vocabulary

/// A partner admin's webhook endpoints, for the `/webhooks` pages and the partner API alike: only admins, only
/// their own partner's endpoints (another partner's look like none at all), every change audited in its
/// transaction. The audit names the endpoint and its host, never its full URL (which may carry a token) or secret.
struct WebhookEndpoints: Sendable {
    let service: ExpressService
    var policy: WebhookURLPolicy
    var resolver: any WebhookResolver = SystemResolver()

    init(service: ExpressService) {
        self.service = service
        policy = WebhookURLPolicy(production: service.config.production)
    }

    /// What an admin types or a partner system sends to register an endpoint.
    struct Draft: Sendable {
        var url: String
        var description: String
        var eventTypes: [String]
    }

    /// The draft's problems by field (`url`, `description`, `event_types`), worded for the person who typed it.
    struct Invalid: Error {
        var errors: [String: String]
    }

    /// A new secret, shown to the admin exactly once.
    struct WithSecret: Sendable {
        var endpoint: WebhookEndpoint
        var secret: String
    }

    func permit(_ context: UseCaseContext) async throws {
        guard WebhookEndpoint.mayManage(context.user) else {
            try await service.audit.record(
                AuditEntry(action: context.action("webhooks.view"), outcome: "denied"), context.audit)
            throw UseCaseRefusal.notAllowed
        }
    }

    func list(_ context: UseCaseContext) async throws -> [WebhookEndpoint] {
        try await permit(context)
        return try await WebhookEndpointModel.query(on: service.db).filter(
            \.$partnerID == context.user.partner.rawValue
        )
        .sort(\.$createdAt).all().map(\.endpoint)
    }

    func find(_ context: UseCaseContext, _ id: WebhookEndpointID) async throws -> WebhookEndpoint {
        try await permit(context)
        return try await row(context, id).endpoint
    }

    private func row(_ context: UseCaseContext, _ id: WebhookEndpointID, on db: (any Database)? = nil) async throws
        -> WebhookEndpointModel
    {
        guard let row = try await WebhookEndpointModel.find(id.rawValue, on: db ?? service.db),
            row.partnerID == context.user.partner.rawValue
        else { throw UseCaseRefusal.notFound }
        return row
    }

    func create(_ context: UseCaseContext, _ draft: Draft) async throws -> WithSecret {
        try await permit(context)
        let (url, description, types) = try await validate(draft)
        let secret = WebhookSigningSecrets.generate()
        let now = service.now()
        let endpoint = WebhookEndpoint(
            id: .random(), partner: context.user.partner, url: url, description: description, eventTypes: types,
            createdBy: context.user.id, createdAt: now, secrets: WebhookSigningSecrets(current: secret))
        try await change(context, "webhooks.create", endpoint) { db in
            try await WebhookEndpointModel(endpoint, at: now).create(on: db)
        }
        return WithSecret(endpoint: endpoint, secret: secret)
    }

    /// Changes what the admin sent (nil leaves it); enabling clears the failure history and the reason.
    func update(
        _ context: UseCaseContext, _ id: WebhookEndpointID, eventTypes: [String]? = nil, enabled: Bool? = nil,
        description: String? = nil
    ) async throws -> WebhookEndpoint {
        try await permit(context)
        var endpoint = try await row(context, id).endpoint
        if let eventTypes {
            do throws(WebhookEventTypes.Problem) {
                endpoint.eventTypes = try WebhookEventTypes.parse(eventTypes)
            } catch {
                throw Invalid(errors: ["event_types": Self.message(error)])
            }
        }
        if let description { endpoint.description = try Self.checked(description) }
        if let enabled, enabled != endpoint.enabled {
            endpoint.enabled = enabled
            endpoint.disabledReason = enabled ? nil : "Disabled by an admin."
            endpoint.health.recordSuccess()
        }
        let changed = endpoint
        let now = service.now()
        try await change(context, "webhooks.update", changed) { db in
            let row = try await row(context, id, on: db)
            row.apply(changed, at: now)
            try await row.save(on: db)
        }
        return endpoint
    }

    func delete(_ context: UseCaseContext, _ id: WebhookEndpointID) async throws {
        try await permit(context)
        let endpoint = try await row(context, id).endpoint
        try await change(context, "webhooks.delete", endpoint) { db in try await row(context, id, on: db).delete(on: db)
        }
    }

    /// A new secret; the old one keeps signing alongside it for ``WebhookSigningSecrets/overlap``.
    func rotateSecret(_ context: UseCaseContext, _ id: WebhookEndpointID) async throws -> WithSecret {
        try await permit(context)
        var endpoint = try await row(context, id).endpoint
        let secret = WebhookSigningSecrets.generate()
        let now = service.now()
        endpoint.secrets.rotate(to: secret, at: now)
        let rotated = endpoint
        try await change(context, "webhooks.rotate_secret", rotated) { db in
            let row = try await row(context, id, on: db)
            row.apply(rotated, at: now)
            try await row.save(on: db)
        }
        return WithSecret(endpoint: endpoint, secret: secret)
    }

    /// Stores a change with its audit event, in one transaction.
    private func change(
        _ context: UseCaseContext, _ action: String, _ endpoint: WebhookEndpoint,
        _ body: @escaping @Sendable (any Database) async throws -> Void
    ) async throws {
        let log = service.audit
        let detail = Self.auditDetail(endpoint)
        try await service.write { db in
            try await body(db)
            try await log.record(
                AuditEntry(action: context.action(action), outcome: "success", detail: detail), context.audit, on: db)
        }
    }

    static func auditDetail(_ endpoint: WebhookEndpoint) -> String {
        let host = URLComponents(string: endpoint.url)?.host ?? "?"
        let types = WebhookEventTypes.sorted(endpoint.eventTypes).map(\.rawValue).joined(separator: ",")
        return "endpoint=\(endpoint.id.wire) host=\(host) enabled=\(endpoint.enabled) types=\(types)"
    }
}
