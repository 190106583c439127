import Fluent
import Foundation
import TestSupport
import Testing

@testable import Platform

@Suite("Outbox: enqueue, attempts, back-off, give-up and replay")
struct OutboxTests {
    typealias Harness = OutboxHarness
    struct RolledBack: Error {}

    @Test("a message enqueued in a transaction that rolls back is never there")
    func rollback() async throws {
        try await Harness.with { outbox in
            let message = NewOutboxMessage(destination: "express", messageID: "evt_1", payload: Data("{}".utf8))
            do {
                try await outbox.database.write { db in
                    try await Outbox.enqueue(message, on: db)
                    throw RolledBack()
                }
                Issue.record("the transaction did not roll back")
            } catch is RolledBack {}
            #expect(try await outbox.log.messages(destination: nil, limit: 10).isEmpty)
            #expect(try await outbox.worker().deliverDue() == 0)
            #expect(outbox.receiver.deliveries.isEmpty)
        }
    }

    @Test("a repeat of (destination, message id) is ignored; the same id to another destination is its own message")
    func repeats() async throws {
        try await Harness.with { outbox in
            try await outbox.enqueue("evt_1", payload: #"{"first":true}"#)
            try await outbox.enqueue("evt_1", payload: #"{"first":false}"#)
            try await outbox.enqueue("evt_1", to: "oss")
            let express = try await outbox.log.messages(destination: "express", limit: 10)
            #expect(express.map(\.payload) == [Data(#"{"first":true}"#.utf8)])
            #expect(try await outbox.log.messages(destination: nil, limit: 10).count == 2)
            #expect(try await outbox.worker().deliverDue() == 1)
            #expect(outbox.receiver.deliveries == ["evt_1"])
        }
    }

    @Test("messages enqueued in one statement are stored once each, in the order given; repeats among them ignored")
    func together() async throws {
        try await Harness.with { outbox in
            try await outbox.enqueue("evt_0", to: "oss", payload: #"{"first":true}"#)
            let messages = [("express", "evt_1"), ("oss", "evt_1"), ("oss", "evt_0"), ("express", "evt_2")].map {
                NewOutboxMessage(destination: $0.0, messageID: $0.1, orderingKey: "cr", payload: Data("{}".utf8))
            }
            try await outbox.database.write { db in try await Outbox.enqueue(messages, on: db) }
            try await outbox.database.write { db in try await Outbox.enqueue([], on: db) }
            let stored = try await outbox.log.messages(destination: nil, limit: 10).reversed()
            #expect(
                stored.map { "\($0.destination) \($0.messageID)" } == [
                    "oss evt_0", "express evt_1", "oss evt_1", "express evt_2",
                ])
            #expect(stored.first?.payload == Data(#"{"first":true}"#.utf8))
            #expect(stored.dropFirst().allSatisfy { $0.orderingKey == "cr" && $0.attempts == 0 })
            // Only "express" is routed here; its two messages share a key, so they go one after the other, in the
            // order of the statement.
            #expect(try await outbox.worker().deliverDue() == 1)
            #expect(try await outbox.worker().deliverDue() == 1)
            #expect(outbox.receiver.deliveries == ["evt_1", "evt_2"])
        }
    }

    @Test("a failed attempt records its status, error and latency, and the next comes after a back-off with jitter")
    func failedAttempt() async throws {
        try await Harness.with { outbox in
            try await outbox.enqueue("evt_1")
            outbox.receiver.answer("evt_1", 503)
            #expect(try await outbox.worker().deliverDue() == 0)
            let message = try #require(try await outbox.state("evt_1"))
            let first = try #require(try await outbox.log.attempts(message: message.id).first)
            #expect(first.statusCode == 503 && first.error == "answered 503" && first.latency >= .zero)
            #expect(same(first.at, outbox.clock.now) && first.messageID == "evt_1" && first.destination == "express")
            let wait = try #require(first.nextAttemptAt).timeIntervalSince(first.at)
            #expect((1.6...2.4).contains(wait))
            #expect(message.status == .pending && message.attempts == 1 && message.lastError == "answered 503")
            #expect(message.nextAttemptAt == first.nextAttemptAt)

            // Not due before the back-off has passed; then the second failure (no response at all) waits longer.
            #expect(try await outbox.worker().deliverDue() == 0)
            #expect(outbox.receiver.deliveries == ["evt_1"])
            outbox.clock.advance(2.5)
            outbox.receiver.answer("evt_1", nil)
            #expect(try await outbox.worker().deliverDue() == 0)
            let second = try #require(try await outbox.log.attempts(message: message.id).first)
            #expect(second.statusCode == nil && second.error == "connection refused")
            #expect((3.2...4.8).contains(try #require(second.nextAttemptAt).timeIntervalSince(second.at)))
        }
    }

    @Test("the back-off doubles up to an hour, each pause varied by 0.8 to 1.2")
    func backoff() {
        #expect(OutboxWorker.backoff(after: 1, jitter: 1) == 2)
        #expect(OutboxWorker.backoff(after: 5, jitter: 1) == 32)
        #expect(OutboxWorker.backoff(after: 12, jitter: 1) == 3600)
        #expect(OutboxWorker.backoff(after: 40, jitter: 1.2) == 4320)
        let pauses = (0..<20).map { _ in OutboxWorker.backoff(after: 3) }
        #expect(pauses.allSatisfy { (6.4...9.6).contains($0) })
        #expect(Set(pauses).count > 1)
    }

    @Test("a message still failing after giveUpAfter is given up, and no attempt is scheduled")
    func giveUp() async throws {
        try await Harness.with { outbox in
            try await outbox.enqueue("evt_1")
            outbox.receiver.answer("evt_1", 500)
            let worker = outbox.worker(giveUpAfter: 72 * 3600)
            #expect(try await worker.deliverDue() == 0)
            outbox.clock.advance(72 * 3600 + 1)
            #expect(try await worker.deliverDue() == 0)
            let message = try #require(try await outbox.state("evt_1"))
            #expect(message.status == .failed && same(message.failedAt, outbox.clock.now) && message.attempts == 2)
            let attempts = try await outbox.log.attempts(message: message.id)
            #expect(attempts.map(\.nextAttemptAt).first == .some(nil))
            outbox.clock.advance(3600)
            #expect(try await worker.deliverDue() == 0)
            #expect(outbox.receiver.deliveries.count == 2)
        }
    }

    @Test("replay makes a delivered message due again; every attempt is in outbox_attempts")
    func replay() async throws {
        try await Harness.with { outbox in
            try await outbox.enqueue("evt_1")
            try await outbox.enqueue("evt_2")
            outbox.receiver.answer("evt_2", 500)
            #expect(try await outbox.worker().deliverDue() == 1)
            let delivered = try #require(try await outbox.state("evt_1"))
            #expect(delivered.status == .delivered && same(delivered.deliveredAt, outbox.clock.now))

            outbox.clock.advance(1)
            #expect(try await outbox.log.replay(delivered.id))
            #expect(try await outbox.state("evt_1")?.status == .pending)
            #expect(try await outbox.worker().deliverDue() == 1)
            #expect(try await outbox.state("evt_1")?.status == .delivered)
            #expect(outbox.receiver.deliveries.prefix(2).sorted() == ["evt_1", "evt_2"])
            #expect(outbox.receiver.deliveries.count == 3 && outbox.receiver.deliveries.last == "evt_1")
            #expect(try await outbox.log.attempts(message: delivered.id).count == 2)
            let logged = try await outbox.log.attempts(destination: "express", limit: 10)
            #expect(
                logged.map(\.messageID) == ["evt_1", "evt_2", "evt_1"]
                    || logged.map(\.messageID) == ["evt_1", "evt_1", "evt_2"])
            #expect(same(logged.first?.at, outbox.clock.now) && logged.count == outbox.receiver.deliveries.count)
            #expect(try await outbox.log.replay(UUID()) == false)
        }
    }

    @Test("a prefix route delivers every destination under it; a destination without a route is left waiting")
    func routes() async throws {
        try await Harness.with { outbox in
            try await outbox.enqueue("evt_1", to: "webhook:a")
            try await outbox.enqueue("evt_2", to: "webhook:b")
            try await outbox.enqueue("evt_3", to: "mail")
            let worker = outbox.worker("webhook:")
            #expect(try await worker.deliverDue() == 2)
            #expect(outbox.receiver.deliveries.sorted() == ["evt_1", "evt_2"])
            #expect(try await outbox.state("evt_3", to: "mail")?.attempts == 0)
            #expect(try await outbox.log.attempts(destination: "mail", limit: 10).isEmpty)
        }
    }
}

/// Databases keep times to the microsecond (PostgreSQL) or as seconds since 1970 (SQLite).
func same(_ stored: Date?, _ expected: Date) -> Bool {
    stored.map { abs($0.timeIntervalSince(expected)) < 0.001 } ?? false
}
