import Fluent
import Foundation
import TestSupport
import Testing

@testable import Platform

/// The time limits only catch a hang: the SQLite tier starts every test at once on two cores, and a test begun
/// early may take three minutes of wall clock to do a few seconds of work.
@Suite("Outbox: claims and records in batches")
struct OutboxBatchTests {
    typealias Harness = OutboxHarness

    @Test("one claim takes the oldest due message of each key; what one worker claimed, another's claim leaves out")
    func batchClaim() async throws {
        try await Harness.with { outbox in
            for (id, key) in [("a1", "a"), ("a2", "a"), ("b1", "b"), ("n1", nil), ("b2", "b"), ("n2", nil)] {
                try await outbox.enqueue(id, key: key)
            }
            let (one, two) = (outbox.worker(), outbox.worker())
            let due = try await one.due(limit: 50)
            #expect(due.map(\.messageID) == ["a1", "b1", "n1", "n2"])
            let claimed = try await one.claim(due)
            #expect(claimed.map(\.messageID) == ["a1", "b1", "n1", "n2"])
            #expect(try await two.claim(due).isEmpty)
            #expect(try await two.due(limit: 50).isEmpty)
            #expect(try await two.claimNext().claimed.isEmpty)

            // A claim outlives its holder's crash only for claimFor; then another worker may take the message.
            outbox.clock.advance(61)
            #expect(try await two.claimNext().claimed.map(\.messageID) == ["a1", "b1", "n1", "n2"])
        }
    }

    @Test(
        "three workers' background work deliver every message once, each key in order, every attempt recorded",
        .timeLimit(.minutes(10)))
    func workersTogether() async throws {
        try await Harness.with { outbox in
            let ids = (1...90).map { "evt_\($0)" }
            for (index, id) in ids.enumerated() {
                try await outbox.enqueue(id, key: index % 6 == 0 ? nil : "k\(index % 6)")
            }
            outbox.receiver.answer("evt_8", 500)
            let workers = (1...3).map { _ in
                OutboxWorker(
                    name: "test", database: outbox.database,
                    routes: [outbox.receiver.route("express", pause: .milliseconds(1))], now: { outbox.clock.now })
            }
            let work = workers.map { outbox.start($0, every: .milliseconds(10)) }
            // evt_8 failed once; its key waits for its back-off, then it and the rest of its key follow in order.
            try await until { try await outbox.state("evt_8")?.attempts == 1 }
            outbox.receiver.answer("evt_8", 204)
            outbox.clock.advance(3)
            try await until {
                try await outbox.log.messages(destination: "express", limit: 100).allSatisfy { $0.status == .delivered }
            }
            for task in work { task.cancel() }
            for task in work { await task.value }

            #expect(outbox.receiver.overlaps.isEmpty)
            #expect(outbox.receiver.deliveries.sorted() == (ids + ["evt_8"]).sorted())
            for key in 1...5 {
                var keyed = ids.enumerated().filter { $0.offset % 6 == key }.map(\.element)
                if let failed = keyed.firstIndex(of: "evt_8") { keyed.insert("evt_8", at: failed) }
                #expect(outbox.receiver.deliveries.filter(keyed.contains) == keyed)
            }
            let messages = try await outbox.log.messages(destination: "express", limit: 100)
            var attempts = 0
            for message in messages { attempts += try await outbox.log.attempts(message: message.id).count }
            #expect(attempts == ids.count + 1)
        }
    }
}
