import Fluent
import Foundation
import TestSupport
import Vapor

@testable import Platform

/// A fresh database with the outbox's tables, a clock, and a receiver the test scripts.
struct OutboxHarness {
    let app: Application
    let database: ServiceDatabase
    let clock: TestClock
    let receiver = OutboxReceiver()

    static func with(_ body: (OutboxHarness) async throws -> Void) async throws {
        try await TestDatabase.withApplication { app, location in
            try app.useServiceDatabase(location, migrations: OutboxMigrations.all)
            try await app.migrateDatabase()
            try await body(OutboxHarness(app: app, database: app.serviceDatabase, clock: TestClock()))
        }
    }

    /// A worker delivering `destination` (and whatever `routes` add) to the receiver.
    func worker(
        _ destination: String = "express", routes: [OutboxRoute] = [], giveUpAfter: TimeInterval = 80 * 3600
    ) -> OutboxWorker {
        OutboxWorker(
            name: "test", database: database, routes: [receiver.route(destination)] + routes,
            giveUpAfter: giveUpAfter, now: { clock.now })
    }

    var log: OutboxLog { OutboxLog(database: database) }

    /// Enqueues one message in its own transaction, now by the test's clock.
    func enqueue(_ messageID: String, key: String? = nil, to destination: String = "express", payload: String = "{}")
        async throws
    {
        let message = NewOutboxMessage(
            destination: destination, messageID: messageID, orderingKey: key, payload: Data(payload.utf8))
        let at = clock.now
        try await database.write { db in try await Outbox.enqueue(message, at: at, on: db) }
    }

    /// The message with this message id.
    func state(_ messageID: String, to destination: String = "express") async throws -> OutboxMessageState? {
        try await log.messages(destination: destination, limit: 100).first { $0.messageID == messageID }
    }
}

/// The receiving end of the tests' routes: answers each message as scripted (2xx unless told otherwise), records
/// every delivery in order, and notices two deliveries of one message at the same time.
final class OutboxReceiver: @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [String: Int] = [:]
    private var received: [String] = []
    private var inFlight: Set<String> = []
    private var overlapping: [String] = []

    /// How the receiver answers `messageID` from now on: an HTTP status, or nil to fail without a response.
    func answer(_ messageID: String, _ status: Int?) { lock.withLock { answers[messageID] = status ?? -1 } }

    /// Message ids in the order their deliveries reached the receiver (failed ones too).
    var deliveries: [String] { lock.withLock { received } }
    /// Message ids that were being delivered twice at the same moment.
    var overlaps: [String] { lock.withLock { overlapping } }

    func route(_ destination: String, pause: Duration = .zero) -> OutboxRoute {
        OutboxRoute(destination) { message in
            let status = self.lock.withLock {
                if !self.inFlight.insert(message.messageID).inserted { self.overlapping.append(message.messageID) }
                self.received.append(message.messageID)
                return self.answers[message.messageID] ?? 204
            }
            if pause > .zero { try await Task.sleep(for: pause) }
            self.lock.withLock { _ = self.inFlight.remove(message.messageID) }
            guard status >= 0 else { throw OutboxDeliveryError("connection refused") }
            return status
        }
    }
}
