import Platform
import Vapor

extension StationApp {
    /// How Station's outbox delivers, one route per destination (the event pushes to each subscriber).
    /// The client keeps as many connections to one subscriber as the worker has attempts in flight to it (the
    /// client's default of 8 queued the rest behind them).
    static func outboxRoutes(_ app: Application, config: StationConfig) throws -> [OutboxRoute] {
        app.http.client.configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit =
            OutboxWorker.defaultPerDestination
        return eventRoutes(app, config: config)
    }

    /// Delivers what is due now, for tests that drive the outbox by hand (`runOutboxWorker` off).
    @discardableResult
    package static func deliverOutbox(_ app: Application) async throws -> Int {
        try await app.outboxWorker().deliverDue()
    }
}
