import Foundation
import Platform
import StationDomain
import Vapor

/// Pushes Station's events to one subscriber: the envelope's JSON, signed per Standard Webhooks (`webhook-id`,
/// `webhook-timestamp`, `webhook-signature`). The signature is the authentication, as for any webhook: no
/// bearer token. Any 2xx is delivered; anything else is a failed attempt the outbox retries.
struct StationEventDelivery: Sendable {
    let subscriber: EventSubscriber
    let signature: WebhookSignature
    let client: any Client
    let now: @Sendable () -> Date

    /// The outbox route of this subscriber: its name is the destination.
    var route: OutboxRoute {
        OutboxRoute(subscriber.name) { message in try await deliver(message) }
    }

    func deliver(_ message: OutboxMessage) async throws -> Int? {
        let timestamp = Int(now().timeIntervalSince1970)
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.add(name: "webhook-id", value: message.messageID)
        headers.add(name: "webhook-timestamp", value: String(timestamp))
        headers.add(
            name: "webhook-signature",
            value: signature.sign(id: message.messageID, timestamp: timestamp, body: message.payload))
        let response = try await client.send(
            ClientRequest(
                method: .POST, url: URI(string: subscriber.url.absoluteString), headers: headers,
                body: ByteBuffer(data: message.payload), timeout: .seconds(10)))
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            throw OutboxDeliveryError(statusCode: status, "\(subscriber.name) answered \(status)")
        }
        return status
    }
}

extension StationApp {
    /// One outbox route per event subscriber.
    static func eventRoutes(
        _ app: Application, config: StationConfig, now: @escaping @Sendable () -> Date = { Date() }
    ) -> [OutboxRoute] {
        let signature = WebhookSignature(secret: config.eventsSecret)
        return config.eventSubscribers.map {
            StationEventDelivery(subscriber: $0, signature: signature, client: app.client, now: now).route
        }
    }
}
