import Fluent
import Foundation
import TestSupport
import Vapor

@testable import Platform

/// A fresh database with the outbox's tables, a clock, and a receiver the test scripts.
struct OutboxHarness {
    let app: Application
    let database: ServiceDatabase
    /// Where the database is, for a second application on it (another instance of the service).
    let location: DatabaseLocation
    let clock: TestClock
    let receiver = OutboxReceiver()
    /// The background work started with ``start(_:every:holding:)``, stopped before the database goes away.
    let running = RunningWork()

    /// Runs `body` on a fresh harness; however it ends (a failure, the time limit), the background work it
    /// started is stopped before the database and the application go away.
    static func with(_ body: (OutboxHarness) async throws -> Void) async throws {
        try await TestDatabase.withApplication { app, location in
            try app.useServiceDatabase(location, migrations: OutboxMigrations.all)
            try await app.migrateDatabase()
            let harness = OutboxHarness(
                app: app, database: app.serviceDatabase, location: location, clock: TestClock())
            do {
                try await body(harness)
            } catch {
                await harness.running.stop()
                throw error
            }
            await harness.running.stop()
        }
    }

    /// A worker delivering `destination` (and whatever `routes` add) to `receiver` (the harness's by default);
    /// with `gate`, each delivery reaches the receiver and then waits for the gate before it is answered.
    func worker(
        _ destination: String = "express", routes: [OutboxRoute] = [], giveUpAfter: TimeInterval = 80 * 3600,
        to receiver: OutboxReceiver? = nil, holding gate: Gate? = nil
    ) -> OutboxWorker {
        OutboxWorker(
            name: "test", database: database,
            routes: [(receiver ?? self.receiver).route(destination, holding: gate)] + routes,
            giveUpAfter: giveUpAfter, now: { clock.now })
    }

    /// Starts `worker`'s background work until the test stops it or ends; `gate` holds its stalled deliveries
    /// until the test or its end opens it.
    @discardableResult
    func start(_ worker: OutboxWorker, every interval: Duration = .milliseconds(20), holding gate: Gate? = nil)
        -> Task<Void, Never>
    {
        running.start(worker, every: interval, holding: gate)
    }

    /// Starts one ``OutboxWorker/deliverDue(limit:)`` of `worker`, whose deliveries wait for `gate`; the test's
    /// end opens the gate and waits for it.
    func deliverDue(_ worker: OutboxWorker, holding gate: Gate) -> Task<Int, any Error> {
        running.run({ try await worker.deliverDue() }, holding: gate)
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

    /// A route to this receiver; each delivery waits `pause`, and `gate` if there is one, before it is answered.
    func route(_ destination: String, pause: Duration = .zero, holding gate: Gate? = nil) -> OutboxRoute {
        OutboxRoute(destination) { message in
            let status = self.lock.withLock {
                if !self.inFlight.insert(message.messageID).inserted { self.overlapping.append(message.messageID) }
                self.received.append(message.messageID)
                return self.answers[message.messageID] ?? 204
            }
            if pause > .zero { try await Task.sleep(for: pause) }
            await gate?.wait()
            self.lock.withLock { _ = self.inFlight.remove(message.messageID) }
            guard status >= 0 else { throw OutboxDeliveryError("connection refused") }
            return status
        }
    }
}

/// The background work a test started, stopped (its gates opened, its tasks cancelled and awaited) before the
/// databases it uses go away.
final class RunningWork: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [(cancel: @Sendable () -> Void, wait: @Sendable () async -> Void)] = []
    private var gates: [Gate] = []

    func start(_ worker: OutboxWorker, every interval: Duration = .milliseconds(20), holding gate: Gate?)
        -> Task<Void, Never>
    {
        let task = Task { await worker.work(every: interval) }
        keep(cancel: { task.cancel() }, wait: { await task.value }, gate: gate)
        return task
    }

    /// Runs `work` as a task that ``stop()`` ends.
    func run<Result: Sendable>(_ work: @escaping @Sendable () async throws -> Result, holding gate: Gate?)
        -> Task<Result, any Error>
    {
        let task = Task { try await work() }
        keep(cancel: { task.cancel() }, wait: { _ = await task.result }, gate: gate)
        return task
    }

    private func keep(cancel: @escaping @Sendable () -> Void, wait: @escaping @Sendable () async -> Void, gate: Gate?) {
        lock.withLock {
            tasks.append((cancel, wait))
            if let gate { gates.append(gate) }
        }
    }

    func stop() async {
        let (tasks, gates) = lock.withLock { (self.tasks, self.gates) }
        for gate in gates { gate.open() }
        for task in tasks { task.cancel() }
        for task in tasks { await task.wait() }
    }
}

/// Holds stalled deliveries until the test opens it; cancellation does not end the wait, as a hung connection
/// does not end when its instance stops claiming.
final class Gate: @unchecked Sendable {
    private let lock = NSLock()
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        await withCheckedContinuation { continuation in
            let resume = lock.withLock {
                if isOpen { return true }
                waiters.append(continuation)
                return false
            }
            if resume { continuation.resume() }
        }
    }

    func open() {
        let waiting = lock.withLock {
            isOpen = true
            defer { waiters = [] }
            return waiters
        }
        for waiter in waiting { waiter.resume() }
    }
}

/// Waits until `condition` holds, polling; the suite's time limit (or the test's cancellation) ends a wait that
/// never does.
func until(_ condition: () async throws -> Bool) async throws {
    while try await !condition() { try await Task.sleep(for: .milliseconds(20)) }
}
