import ExpressDomain
import Fluent
import Platform
import SQLKit
import Vocabulary

extension ExpressService {
    /// Queues one delivery of `event` to each of its partner's enabled webhook endpoints that chose its type, in
    /// the caller's transaction: the Platform outbox message `webhook:<endpoint id>`, with the event's message id
    /// (the receiver's `webhook-id`, the same on every retry and replay), ordered per care request, carrying the
    /// Standard Webhooks envelope (ids and statuses only).
    func queueWebhookDeliveries(for event: CareRequestEvent, on db: any Database) async throws {
        guard let partner = event.partner else { return }
        // Most partners have no endpoint: one short statement of SQL text says so, where a model query would build
        // and quote every column of the table for every event.
        let any = try await db.sql.raw(
            """
            SELECT 1 AS found FROM webhook_endpoints WHERE partner_id = \(bind: partner.rawValue) \
            AND enabled = \(bind: true) LIMIT 1
            """
        ).first()
        guard any != nil else { return }
        let endpoints = try await WebhookEndpointModel.query(on: db).filter(\.$partnerID == partner.rawValue)
            .filter(\.$enabled == true).all().map(\.endpoint).filter { $0.wants(event) }
        guard !endpoints.isEmpty else { return }
        let envelope = CareRequestEventEnvelope(event)
        let payload = try CareRequestEvent.encoder.encode(envelope)
        for endpoint in endpoints {
            try await Outbox.enqueue(
                NewOutboxMessage(
                    destination: endpoint.destination, messageID: envelope.messageID,
                    orderingKey: event.careRequest.wire, payload: payload),
                at: now(), on: db)
        }
    }
}
