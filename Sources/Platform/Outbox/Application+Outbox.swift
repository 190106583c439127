import Vapor

extension Application {
    private struct OutboxWorkerKey: StorageKey { typealias Value = OutboxWorker }

    /// The service's one outbox worker, kept so that its background work, tests and `selfsched outbox` share it.
    package func useOutbox(_ worker: OutboxWorker) {
        storage[OutboxWorkerKey.self] = worker
    }

    /// The worker given to ``useOutbox(_:)``.
    package func outboxWorker() throws -> OutboxWorker {
        guard let worker = storage[OutboxWorkerKey.self] else {
            throw ConfigurationError("This service has no outbox worker.")
        }
        return worker
    }

    /// The service's outbox log (its default database).
    package var outboxLog: OutboxLog { OutboxLog(database: serviceDatabase) }
}
