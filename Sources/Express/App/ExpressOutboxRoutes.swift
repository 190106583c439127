import Platform
import Vapor

extension ExpressApp {
    /// How Express's outbox delivers, one route per destination (notification mail, partner webhooks).
    static func outboxRoutes(_ service: ExpressService) throws -> [OutboxRoute] {
        [Mailer.route(service.config.mail.transport()), WebhookSender(service: service).route]
    }

    /// Delivers what is due now, for tests that drive the outbox by hand (`runOutboxWorker` off).
    @discardableResult
    package static func deliverOutbox(_ app: Application) async throws -> Int {
        try await app.outboxWorker().deliverDue()
    }
}
