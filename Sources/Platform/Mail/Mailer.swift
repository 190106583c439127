import Fluent
import Foundation

/// Mail through the Platform outbox: queued in the caller's transaction, so a notification is sent if and only
/// if the change it tells about commits, then sent by the service's outbox worker with retries and back-off.
package enum Mailer {
    /// The outbox destination of queued mail.
    package static let destination = "mail"

    /// Queues `message` in the caller's transaction. It is checked first (addresses, headers), so a message
    /// that could never be sent fails here, not in the outbox. A repeat of the same Message-ID is ignored.
    /// `now` is the caller's clock: the time it was queued, which becomes the `Date` header.
    package static func enqueue(_ message: MailMessage, at now: Date = Date(), on db: any Database) async throws {
        try MailRendering.validate(message)
        let payload = try JSONEncoder().encode(message)
        try await Outbox.enqueue(
            NewOutboxMessage(destination: destination, messageID: message.messageID, payload: payload), at: now,
            on: db)
    }

    /// The outbox route that sends queued mail with `transport`; the `Date` header is the time it was queued.
    /// A failure (an SMTP 4xx or 5xx, a timeout) is recorded by the outbox and retried.
    package static func route(_ transport: any MailTransport) -> OutboxRoute {
        OutboxRoute(destination) { queued in
            var message: MailMessage
            do {
                message = try JSONDecoder().decode(MailMessage.self, from: queued.payload)
            } catch {
                throw OutboxDeliveryError("the queued mail cannot be read: \(error)")
            }
            if message.date == nil { message.date = queued.createdAt }
            do {
                try await transport.send(message)
            } catch {
                throw OutboxDeliveryError(String(describing: error))
            }
            return nil
        }
    }
}
