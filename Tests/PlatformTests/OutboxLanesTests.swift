import Fluent
import Foundation
import TestSupport
import Testing

@testable import Platform

/// The time limits only catch a hang: the whole Swift suite runs at once on two cores, and on PostgreSQL a test
/// of a few hundred milliseconds alone has taken over a minute of wall time there.
@Suite("Outbox: the background work's lanes")
struct OutboxLanesTests {
    typealias Harness = OutboxHarness

    @Test(
        "a destination whose deliveries hang holds at most its own lanes; other destinations' messages go through",
        .timeLimit(.minutes(10)))
    func hangingDestination() async throws {
        try await Harness.with { outbox in
            let hung = OutboxReceiver()
            for index in 1...(OutboxWorker.defaultPerDestination + 10) {
                try await outbox.enqueue("slow_\(index)", to: "slow")
            }
            try await outbox.enqueue("m1", to: "mail")
            let worker = OutboxWorker(
                name: "test", database: outbox.database,
                routes: [outbox.receiver.route("mail"), hung.route("slow", pause: .seconds(3600))],
                now: { outbox.clock.now })
            let work = outbox.start(worker, every: .milliseconds(10))

            try await until { try await outbox.state("m1", to: "mail")?.status == .delivered }
            // Enqueued while the slow deliveries still hang: the next passes deliver it.
            try await outbox.enqueue("m2", to: "mail")
            try await until { try await outbox.state("m2", to: "mail")?.status == .delivered }

            #expect(worker.lanes.inFlight("slow") == worker.perDestination)
            #expect(worker.perDestination < OutboxWorker.parallel)
            #expect(hung.deliveries.count <= worker.perDestination)
            #expect(Set(hung.deliveries).isSubset(of: (1...worker.perDestination).map { "slow_\($0)" }))
            #expect(outbox.receiver.deliveries == ["m1", "m2"])
            work.cancel()
            await work.value
        }
    }

    @Test("lanes keep each ordering key's order and never attempt one message twice at once", .timeLimit(.minutes(10)))
    func orderAcrossLanes() async throws {
        try await Harness.with { outbox in
            let ids = (1...24).map { "evt_\($0)" }
            for (index, id) in ids.enumerated() {
                try await outbox.enqueue(id, key: index % 4 == 0 ? nil : "k\(index % 4)")
            }
            let worker = OutboxWorker(
                name: "test", database: outbox.database,
                routes: [outbox.receiver.route("express", pause: .milliseconds(2))], now: { outbox.clock.now })
            let work = outbox.start(worker, every: .milliseconds(10))
            try await until {
                try await outbox.log.messages(destination: "express", limit: 100).allSatisfy { $0.status == .delivered }
            }
            work.cancel()
            await work.value
            #expect(outbox.receiver.deliveries.sorted() == ids.sorted())
            #expect(outbox.receiver.overlaps.isEmpty)
            for key in 1...3 {
                let keyed = ids.enumerated().filter { $0.offset % 4 == key }.map(\.element)
                #expect(outbox.receiver.deliveries.filter(keyed.contains) == keyed)
            }
        }
    }
}
