import ExpressDomain
import ExpressPartnerAPI
import Foundation
import Platform

/// `/webhook-endpoints`: a partner admin's endpoints through the same use case as the `/webhooks` pages.
extension PartnerAPIHandler {
    var webhooks: WebhookEndpoints { WebhookEndpoints(service: service) }

    func endpointID(_ raw: String) throws -> WebhookEndpointID {
        guard let id = WebhookEndpointID(wire: raw) else { throw Problem.badRequest("endpointId must be a UUID.") }
        return id
    }

    /// The use case's refusals as problem+json: another partner's endpoint is as unknown as no endpoint.
    func webhookProblems<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch UseCaseRefusal.notAllowed {
            throw Problem.forbidden("Only the partner's admins manage webhook endpoints.")
        } catch UseCaseRefusal.notFound {
            throw Problem.notFound("No such webhook endpoint or delivery for this partner.")
        } catch let invalid as WebhookEndpoints.Invalid {
            throw Problem.validation(
                invalid.errors.sorted { $0.key < $1.key }.map { .init(field: $0.key, message: $0.value) })
        }
    }

    func listWebhookEndpoints(_ input: Operations.ListWebhookEndpoints.Input) async throws
        -> Operations.ListWebhookEndpoints.Output
    {
        let caller = try await caller()
        let endpoints = try await webhookProblems { try await webhooks.list(caller) }
        let now = service.now()
        return .ok(.init(body: .json(.init(items: endpoints.map { .init($0, now: now) }))))
    }

    func createWebhookEndpoint(_ input: Operations.CreateWebhookEndpoint.Input) async throws
        -> Operations.CreateWebhookEndpoint.Output
    {
        let caller = try await caller()
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the endpoint as JSON.") }
        let made = try await webhookProblems {
            try await webhooks.create(
                caller, .init(url: body.url, description: body.description ?? "", eventTypes: body.eventTypes))
        }
        return .created(
            .init(body: .json(.init(endpoint: .init(made.endpoint, now: service.now()), secret: made.secret))))
    }

    func getWebhookEndpoint(_ input: Operations.GetWebhookEndpoint.Input) async throws
        -> Operations.GetWebhookEndpoint.Output
    {
        let caller = try await caller()
        let id = try endpointID(input.path.endpointId)
        let endpoint = try await webhookProblems { try await webhooks.find(caller, id) }
        return .ok(.init(body: .json(.init(endpoint, now: service.now()))))
    }

    func updateWebhookEndpoint(_ input: Operations.UpdateWebhookEndpoint.Input) async throws
        -> Operations.UpdateWebhookEndpoint.Output
    {
        let caller = try await caller()
        let id = try endpointID(input.path.endpointId)
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the changes as JSON.") }
        let endpoint = try await webhookProblems {
            try await webhooks.update(
                caller, id, eventTypes: body.eventTypes, enabled: body.enabled, description: body.description)
        }
        return .ok(.init(body: .json(.init(endpoint, now: service.now()))))
    }

    func deleteWebhookEndpoint(_ input: Operations.DeleteWebhookEndpoint.Input) async throws
        -> Operations.DeleteWebhookEndpoint.Output
    {
        let caller = try await caller()
        let id = try endpointID(input.path.endpointId)
        try await webhookProblems { try await webhooks.delete(caller, id) }
        return .noContent(.init())
    }

    func rotateWebhookEndpointSecret(_ input: Operations.RotateWebhookEndpointSecret.Input) async throws
        -> Operations.RotateWebhookEndpointSecret.Output
    {
        let caller = try await caller()
        let id = try endpointID(input.path.endpointId)
        let rotated = try await webhookProblems { try await webhooks.rotateSecret(caller, id) }
        return .ok(
            .init(body: .json(.init(endpoint: .init(rotated.endpoint, now: service.now()), secret: rotated.secret))))
    }

    func listWebhookDeliveries(_ input: Operations.ListWebhookDeliveries.Input) async throws
        -> Operations.ListWebhookDeliveries.Output
    {
        let caller = try await caller()
        let id = try endpointID(input.path.endpointId)
        let deliveries = try await webhookProblems { try await webhooks.deliveries(caller, id) }
        return .ok(.init(body: .json(.init(items: deliveries.map(Components.Schemas.WebhookDelivery.init)))))
    }

    func replayWebhookDelivery(_ input: Operations.ReplayWebhookDelivery.Input) async throws
        -> Operations.ReplayWebhookDelivery.Output
    {
        let caller = try await caller()
        let id = try endpointID(input.path.endpointId)
        guard let delivery = UUID(uuidString: input.path.deliveryId) else {
            throw Problem.badRequest("deliveryId must be a UUID.")
        }
        try await webhookProblems { try await webhooks.replay(caller, id, delivery: delivery) }
        return .accepted(.init())
    }
}
