import Platform
import Vapor

extension StationApp {
    /// How Station's outbox delivers, one route per destination (the event pushes to each subscriber).
    static func outboxRoutes(_ app: Application, config: StationConfig) throws -> [OutboxRoute] {
        eventRoutes(app, config: config)
    }

    /// Delivers what is due now, for tests that drive the outbox by hand (`runOutboxWorker` off).
    @discardableResult
    package static func deliverOutbox(_ app: Application) async throws -> Int {
        try await app.outboxWorker().deliverDue()
    }
}
