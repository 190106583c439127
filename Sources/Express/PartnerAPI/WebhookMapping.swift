import ExpressDomain
import ExpressPartnerAPI
import Foundation
import Platform

// Webhook endpoints and deliveries to the partner API's generated types, at the edge only.

extension Components.Schemas.WebhookEndpoint {
    init(_ endpoint: ExpressDomain.WebhookEndpoint, now: Date) {
        let previousExpires = endpoint.secrets.signing(at: now).count > 1 ? endpoint.secrets.previousExpiresAt : nil
        self.init(
            id: endpoint.id.wire, url: endpoint.url, description: endpoint.description,
            eventTypes: WebhookEventTypes.sorted(endpoint.eventTypes).compactMap {
                Components.Schemas.WebhookEventType(rawValue: $0.rawValue)
            },
            enabled: endpoint.enabled, disabledReason: endpoint.disabledReason, createdBy: endpoint.createdBy.wire,
            createdAt: endpoint.createdAt, previousSecretExpiresAt: previousExpires)
    }
}

extension Components.Schemas.WebhookDelivery {
    init(_ delivery: Express.WebhookDelivery) {
        self.init(
            id: delivery.id.uuidString.lowercased(), webhookId: delivery.messageID, eventType: delivery.eventType,
            careRequestId: delivery.careRequest, status: .init(rawValue: delivery.status.rawValue) ?? .pending,
            createdAt: delivery.createdAt, deliveredAt: delivery.deliveredAt, nextRetryAt: delivery.nextAttemptAt,
            attempts: delivery.attempts.map(Components.Schemas.WebhookAttempt.init))
    }
}

extension Components.Schemas.WebhookAttempt {
    init(_ attempt: OutboxAttempt) {
        self.init(
            at: attempt.at, statusCode: attempt.statusCode, latencyMs: attempt.latencyMilliseconds,
            error: attempt.error, nextRetryAt: attempt.nextAttemptAt)
    }
}
