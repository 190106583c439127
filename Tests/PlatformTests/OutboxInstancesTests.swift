import Fluent
import Foundation
import TestSupport
import Testing
import Vapor

@testable import Platform

/// Two instances of a service, as two processes run them: each its own application, connection pool, write gate
/// and outbox worker (with its own lanes), on one database. On SQLite the two pools contend for the file's lock;
/// on PostgreSQL (`--pg`) the claims meet in the database as they do in production.
@Suite("Outbox: two instances' workers on one database")
struct OutboxInstancesTests {
    /// Four ordering keys of ten messages each, and eight messages without a key.
    static let keys = (1...4).map { "care-\($0)" }
    static let keyed = keys.flatMap { key in (1...10).map { "\(key)/\($0)" } }
    static let unkeyed = (1...8).map { "free/\($0)" }

    @Test(
        "both instances' workers deliver every message exactly once, in enqueue order per ordering key",
        .timeLimit(.minutes(10)))
    func bothDeliver() async throws {
        try await Instances.with { instances in
            let receiver = DedupingReceiver()
            let clock = TestClock()
            let workers = [
                instances.worker("one", on: instances.first, to: receiver, now: { clock.now }),
                instances.worker("two", on: instances.second, to: receiver, now: { clock.now }),
            ]
            let messages = Self.interleaved()
            // Half before the workers start, half while they run, through either instance.
            try await instances.enqueue(messages.prefix(messages.count / 2), at: clock.now)
            let running = workers.map { instances.start($0) }
            try await instances.enqueue(messages.suffix(from: messages.count / 2), at: clock.now)
            try await until { try await instances.messages(delivered: false) == 0 }
            for task in running { task.cancel() }
            for task in running { await task.value }

            #expect(receiver.duplicates.isEmpty)
            #expect(receiver.arrivals.count == messages.count)
            Self.expectOrdered(receiver.applied, messages: messages)
        }
    }

    @Test(
        "a worker that stops mid-delivery: its claims expire, the other instance takes over, and the receiver drops the second copies",
        .timeLimit(.minutes(10)))
    func takeOver() async throws {
        try await Instances.with { instances in
            let receiver = DedupingReceiver()
            let stopped = Gate()
            let start = Date()
            // The first instance's clock stands still; the second's is past every claim the first can make.
            let claimFor: TimeInterval = 60
            let first = instances.worker(
                "one", on: instances.first, to: receiver, claimFor: claimFor, now: { start },
                hangAfter: 8, gate: stopped)
            let second = instances.worker(
                "two", on: instances.second, to: receiver, claimFor: claimFor,
                now: { start.addingTimeInterval(claimFor + 1) })
            let messages = Self.interleaved()
            try await instances.enqueue(messages[...], at: start)

            // The first delivers eight, then every delivery it starts reaches the receiver and never returns (the
            // instance died before recording it): its messages stay claimed until their claims run out.
            let dying = instances.start(first, holding: stopped)
            try await until { receiver.arrivals(from: "one").count > 8 }
            // The eight it delivered are recorded soon after; the second instance's clock, past every claim, would
            // otherwise take one whose record is still being written and send it again.
            try await until { try await instances.messages(delivered: true) == 8 }
            dying.cancel()
            let taking = instances.start(second)
            try await until { try await instances.messages(delivered: false) == 0 }
            taking.cancel()
            await taking.value

            let lost = Set(receiver.arrivals(from: "one").dropFirst(8))
            #expect(!lost.isEmpty)
            // Each message the first instance sent without recording was sent again by the second; nothing else twice.
            #expect(Set(receiver.duplicates) == lost)
            #expect(lost.isSubset(of: Set(receiver.arrivals(from: "two"))))
            #expect(receiver.applied.count == messages.count)
            Self.expectOrdered(receiver.applied, messages: messages)

            // The stalled attempts end now, as failures: a failure recorded late never undoes the delivery.
            stopped.open()
            await dying.value
            #expect(try await instances.messages(delivered: false) == 0)
            #expect(receiver.arrivals.count == messages.count + lost.count)
        }
    }

    /// The messages in enqueue order: the keys' messages in turn, an unkeyed one every fifth.
    static func interleaved() -> [(id: String, key: String?)] {
        var messages: [(id: String, key: String?)] = []
        var free = unkeyed.makeIterator()
        for index in 0..<10 {
            for key in keys { messages.append(("\(key)/\(index + 1)", key)) }
            if index % 5 < 4, let id = free.next() { messages.append((id, nil)) }
        }
        return messages
    }

    /// Every message applied once, and within each key in the order of enqueue.
    static func expectOrdered(_ applied: [String], messages: [(id: String, key: String?)]) {
        #expect(applied.sorted() == messages.map(\.id).sorted())
        for key in keys {
            let expected = messages.filter { $0.key == key }.map(\.id)
            #expect(applied.filter { $0.hasPrefix("\(key)/") } == expected, "\(key)")
        }
    }
}

/// Two applications on one fresh database with the outbox's tables (the first the harness's), and the background
/// work started on them.
private struct Instances {
    let outbox: OutboxHarness
    let second: ServiceDatabase

    var first: ServiceDatabase { outbox.database }

    static func with(_ body: (Instances) async throws -> Void) async throws {
        try await OutboxHarness.with { outbox in
            let other = try await Application.make(.testing)
            do {
                try other.useServiceDatabase(outbox.location, migrations: OutboxMigrations.all)
                try await body(Instances(outbox: outbox, second: other.serviceDatabase))
            } catch {
                // A test that failed or ran out of time leaves no work running on the databases it shuts.
                await outbox.running.stop()
                try? await other.asyncShutdown()
                throw error
            }
            await outbox.running.stop()
            try await other.asyncShutdown()
        }
    }

    /// A worker delivering "station-events" to `receiver` as `name`; with `hangAfter`, every delivery after that
    /// many reaches the receiver and then waits for `gate`, whatever cancels it, and fails.
    func worker(
        _ name: String, on database: ServiceDatabase, to receiver: DedupingReceiver, claimFor: TimeInterval = 60,
        now: @escaping @Sendable () -> Date, hangAfter: Int? = nil, gate: Gate = Gate()
    ) -> OutboxWorker {
        let route = OutboxRoute("station-events") { message in
            let count = receiver.receive(message.messageID, from: name)
            if let hangAfter, count > hangAfter {
                await gate.wait()
                throw OutboxDeliveryError("connection reset")
            }
            // A short answer time lets the instances' passes interleave; a stop does not fail an answered delivery.
            try? await Task.sleep(for: .milliseconds(2))
            return 204
        }
        return OutboxWorker(name: name, database: database, routes: [route], claimFor: claimFor, now: now)
    }

    /// Starts `worker`'s background work; `gate` holds its stalled deliveries until the test or its end opens it.
    func start(_ worker: OutboxWorker, holding gate: Gate? = nil) -> Task<Void, Never> {
        outbox.start(worker, holding: gate)
    }

    /// Enqueues each message in its own transaction, through the two instances in turn.
    func enqueue(_ messages: ArraySlice<(id: String, key: String?)>, at now: Date) async throws {
        for (index, message) in messages.enumerated() {
            let new = NewOutboxMessage(
                destination: "station-events", messageID: message.id, orderingKey: message.key,
                payload: Data("{}".utf8))
            try await (index.isMultiple(of: 2) ? first : second).write { db in
                try await Outbox.enqueue(new, at: now, on: db)
            }
        }
    }

    /// How many messages are delivered (`true`), or not delivered (`false`).
    func messages(delivered: Bool) async throws -> Int {
        try await OutboxLog(database: first).messages(destination: nil, limit: 1000).count {
            ($0.status == .delivered) == delivered
        }
    }
}

/// A subscriber as real ones are: every delivery that reaches it is recorded with the worker that sent it, and a
/// message is applied only the first time its id arrives.
private final class DedupingReceiver: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [(id: String, worker: String)] = []
    private var appliedIDs: [String] = []
    private var seen: Set<String> = []

    /// Records an arrival; returns how many deliveries `worker` has made so far, this one included.
    func receive(_ id: String, from worker: String) -> Int {
        lock.withLock {
            received.append((id, worker))
            if seen.insert(id).inserted { appliedIDs.append(id) }
            return received.count { $0.worker == worker }
        }
    }

    /// Every arrival's message id, in order.
    var arrivals: [String] { lock.withLock { received.map(\.id) } }
    /// The message ids applied, in the order they first arrived.
    var applied: [String] { lock.withLock { appliedIDs } }
    /// The message ids that arrived more than once (and were dropped the second time).
    var duplicates: [String] {
        lock.withLock {
            Dictionary(received.map { ($0.id, 1) }, uniquingKeysWith: +).filter { $0.value > 1 }.map(\.key)
        }
    }

    func arrivals(from worker: String) -> [String] {
        lock.withLock { received.filter { $0.worker == worker }.map(\.id) }
    }
}
