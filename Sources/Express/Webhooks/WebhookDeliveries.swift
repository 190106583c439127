import ExpressDomain
import Foundation
import Platform
import Vocabulary

/// One event's delivery to an endpoint, with every attempt at it (newest first).
struct WebhookDelivery: Sendable {
    var id: UUID
    /// The `webhook-id` the receiver sees (the same for every attempt and every replay).
    var messageID: String
    var eventType: String?
    var careRequest: String?
    var status: OutboxMessageState.Status
    var createdAt: Date
    var deliveredAt: Date?
    var nextAttemptAt: Date?
    var attempts: [OutboxAttempt]
}

extension WebhookEndpoints {
    static let deliveriesShown = 50

    /// The endpoint's newest deliveries, each with its attempts.
    func deliveries(_ context: UseCaseContext, _ id: WebhookEndpointID) async throws -> [WebhookDelivery] {
        let endpoint = try await find(context, id)
        let log = OutboxLog(database: service.database)
        let messages = try await log.messages(destination: endpoint.destination, limit: Self.deliveriesShown)
        let attempts = Dictionary(
            grouping: try await log.attempts(destination: endpoint.destination, limit: Self.deliveriesShown * 20),
            by: \.message)
        return messages.map { message in
            let envelope = try? CareRequestEvent.decoder.decode(CareRequestEventEnvelope.self, from: message.payload)
            return WebhookDelivery(
                id: message.id, messageID: message.messageID, eventType: envelope?.type.rawValue,
                careRequest: envelope?.data.careRequest.wire, status: message.status, createdAt: message.createdAt,
                deliveredAt: message.deliveredAt,
                nextAttemptAt: message.status == .pending ? (message.nextAttemptAt ?? message.createdAt) : nil,
                attempts: attempts[message.id] ?? [])
        }
    }

    /// Sends one delivery again, now, even if it was delivered (receivers drop repeats by `webhook-id`).
    func replay(_ context: UseCaseContext, _ id: WebhookEndpointID, delivery: UUID) async throws {
        let endpoint = try await find(context, id)
        let log = OutboxLog(database: service.database)
        guard let message = try await log.message(delivery), message.destination == endpoint.destination else {
            throw UseCaseRefusal.notFound
        }
        _ = try await log.replay(delivery)
        try await service.audit.record(
            AuditEntry(
                action: context.action("webhooks.replay"), outcome: "success",
                detail: "endpoint=\(endpoint.id.wire) delivery=\(delivery.uuidString.lowercased()) \(message.messageID)"
            ),
            context.audit)
    }
}
