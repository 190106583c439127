import Fluent
import Foundation
import TestSupport
import Testing

@testable import Platform

@Suite("Outbox: order per ordering key, and claims between workers")
struct OutboxOrderingTests {
    typealias Harness = OutboxHarness

    @Test("a later message of a key waits while an earlier one is undelivered; other keys go on")
    func orderPerKey() async throws {
        try await Harness.with { outbox in
            try await outbox.enqueue("a1", key: "care-a")
            try await outbox.enqueue("a2", key: "care-a")
            try await outbox.enqueue("b1", key: "care-b")
            try await outbox.enqueue("n1")
            outbox.receiver.answer("a1", 500)
            let worker = outbox.worker()
            #expect(try await worker.deliverDue() == 2)
            // One attempt per key (a worker attempts the messages of different keys side by side).
            #expect(outbox.receiver.deliveries.sorted() == ["a1", "b1", "n1"])
            // Still waiting for a1's back-off: a2 is not attempted, however often the worker passes.
            #expect(try await worker.deliverDue() == 0)
            #expect(try await outbox.state("a2")?.attempts == 0)

            outbox.clock.advance(3)
            outbox.receiver.answer("a1", 200)
            #expect(try await worker.deliverDue() == 1)
            #expect(try await worker.deliverDue() == 1)
            #expect(outbox.receiver.deliveries.suffix(2) == ["a1", "a2"])
        }
    }

    @Test("a message given up no longer holds back the later ones of its key")
    func givenUpReleasesKey() async throws {
        try await Harness.with { outbox in
            try await outbox.enqueue("a1", key: "care-a")
            outbox.clock.advance(10)
            try await outbox.enqueue("a2", key: "care-a")
            outbox.receiver.answer("a1", 500)
            let worker = outbox.worker(giveUpAfter: 5)
            #expect(try await worker.deliverDue() == 0)
            #expect(try await outbox.state("a1")?.status == .failed)
            #expect(try await worker.deliverDue() == 1)
            #expect(outbox.receiver.deliveries == ["a1", "a2"])
        }
    }

    @Test("two workers on one database never deliver a message twice at once, and deliver each once")
    func claims() async throws {
        try await Harness.with { outbox in
            let ids = (1...12).map { "evt_\($0)" }
            for (index, id) in ids.enumerated() {
                try await outbox.enqueue(id, key: index % 3 == 0 ? nil : "k\(index % 3)")
            }
            func worker() -> OutboxWorker {
                OutboxWorker(
                    name: "test", database: outbox.database,
                    routes: [outbox.receiver.route("express", pause: .milliseconds(5))], now: { outbox.clock.now })
            }
            let (one, two) = (worker(), worker())
            var delivered = 0
            while delivered < ids.count {
                async let first = one.deliverDue()
                async let second = two.deliverDue()
                let passed = try await first + second
                #expect(passed > 0)
                if passed == 0 { break }
                delivered += passed
            }
            #expect(delivered == ids.count)
            #expect(outbox.receiver.overlaps.isEmpty)
            #expect(outbox.receiver.deliveries.sorted() == ids.sorted())
            // Within a key, the order of enqueue held.
            for key in 1...2 {
                let keyed = ids.enumerated().filter { $0.offset % 3 == key }.map(\.element)
                #expect(outbox.receiver.deliveries.filter(keyed.contains) == keyed)
            }
        }
    }
}
