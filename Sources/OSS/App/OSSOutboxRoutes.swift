import Foundation
import Platform
import Vapor

/// OSS's outbox destinations.
enum OSSOutbox {
    /// The care request callbacks to Express.
    static let express = "express"
}

extension OSSApp {
    /// How OSS's outbox delivers, one route per destination: callbacks to Express, the patients' emails.
    static func outboxRoutes(_ service: OSSService) throws -> [OutboxRoute] {
        [expressCallbacks(service), Mailer.route(service.config.mail.transport())]
    }

    /// The care request callback to Express under the message's constant id (its `webhook-id`), signed over the
    /// bytes sent by the Express client's ``WebhookSigningMiddleware``; Express answers 204 when it recorded it.
    static func expressCallbacks(_ service: OSSService) -> OutboxRoute {
        OutboxRoute(OSSOutbox.express) { message in
            let callback = try CareRequestCallback(outboxPayload: message.payload)
            try await service.downstream.express.deliver(callback, webhookID: message.messageID, at: service.now())
            return 204
        }
    }

    /// Delivers what is due now, for tests that drive the outbox by hand (`runOutboxWorker` off).
    @discardableResult
    package static func deliverOutbox(_ app: Application) async throws -> Int {
        try await app.outboxWorker().deliverDue()
    }
}
