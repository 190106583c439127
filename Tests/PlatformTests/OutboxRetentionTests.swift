import Fluent
import Foundation
import TestSupport
import Testing

@testable import Platform

@Suite("Outbox: pruning delivered and given-up messages with their attempts")
struct OutboxRetentionTests {
    typealias Harness = OutboxHarness
    static let day: TimeInterval = 24 * 3600

    @Test("delivered messages go after 30 days, given-up ones after 90, pending ones never; the log stays whole")
    func retention() async throws {
        try await Harness.with { outbox in
            try await outbox.enqueue("delivered")
            try await outbox.enqueue("given_up")
            try await outbox.enqueue("no_route", to: "oss")
            outbox.receiver.answer("given_up", 500)
            let worker = outbox.worker(giveUpAfter: 5)
            #expect(try await worker.deliverDue() == 1)
            outbox.clock.advance(10)
            #expect(try await worker.deliverDue() == 0)
            #expect(try await outbox.state("given_up")?.status == .failed)
            let old = try #require(try await outbox.state("delivered"))

            outbox.clock.advance(29 * Self.day)
            try await outbox.enqueue("recent")
            #expect(try await worker.deliverDue() == 1)
            #expect(try await worker.prune() == 0)

            outbox.clock.advance(2 * Self.day)
            #expect(try await worker.prune() == 1)
            #expect(try await outbox.state("delivered") == nil)
            #expect(try await outbox.log.attempts(message: old.id).isEmpty)
            // What the delivery log shows: the remaining messages, each with all its attempts, newest first.
            let attempts = try await outbox.log.attempts(destination: "express", limit: 10)
            #expect(attempts.map(\.messageID) == ["recent", "given_up", "given_up"])
            #expect(try await outbox.log.messages(destination: "express", limit: 10).count == 2)

            outbox.clock.advance(60 * Self.day)
            #expect(try await worker.prune() == 2)
            #expect(try await outbox.log.messages(destination: "express", limit: 10).isEmpty)
            #expect(try await outbox.log.attempts(destination: "express", limit: 10).isEmpty)
            #expect(try await outbox.state("no_route", to: "oss")?.status == .pending)
        }
    }

    @Test("a pruning deletes in batches, and the background work prunes at most every few minutes")
    func batchesAndPace() async throws {
        try await Harness.with { outbox in
            let count = OutboxWorker.pruneBatch + 5
            let at = outbox.clock.now
            try await outbox.database.write { db in
                for index in 1...count {
                    let message = NewOutboxMessage(
                        destination: "express", messageID: "evt_\(index)", payload: Data("{}".utf8))
                    try await Outbox.enqueue(message, at: at, on: db)
                }
            }
            let worker = OutboxWorker(
                name: "test", database: outbox.database, routes: [outbox.receiver.route("express")],
                keepDelivered: 60, now: { outbox.clock.now })
            #expect(try await worker.deliverDue(limit: count) == count)
            outbox.clock.advance(61)
            #expect(try await worker.pruneIfDue() == count)

            try await outbox.enqueue("later")
            #expect(try await worker.deliverDue() == 1)
            outbox.clock.advance(61)
            #expect(try await worker.pruneIfDue() == 0)
            outbox.clock.advance(OutboxWorker.pruneEvery)
            #expect(try await worker.pruneIfDue() == 1)
        }
    }
}
