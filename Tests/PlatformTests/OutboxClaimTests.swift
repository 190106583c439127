import Fluent
import Foundation
import TestSupport
import Testing

@testable import Platform

/// A worker that stalls past its claim, as an instance paused by the machine or a hung connection does: another
/// worker claims the message again, and the first one's late answer must not disturb it.
@Suite("Outbox: a stalled worker's late failure after its claim ran out")
struct OutboxClaimTests {
    typealias Harness = OutboxHarness

    @Test(
        "a late failure leaves the new holder's claim and the message alone; its delivery is recorded once",
        .timeLimit(.minutes(10)),
        arguments: [80 * 3600, 30] as [TimeInterval])
    func lateFailure(giveUpAfter: TimeInterval) async throws {
        try await Harness.with { outbox in
            try await outbox.enqueue("evt_1")
            let (first, second, third) = (OutboxReceiver(), OutboxReceiver(), OutboxReceiver())
            first.answer("evt_1", 503)
            let (firstHeld, secondHeld) = (Gate(), Gate())
            let a = outbox.worker(giveUpAfter: giveUpAfter, to: first, holding: firstHeld)
            let b = outbox.worker(giveUpAfter: giveUpAfter, to: second, holding: secondHeld)
            let c = outbox.worker(giveUpAfter: giveUpAfter, to: third)

            // A claims the message and stalls past its claim (60 s); B claims it again and stalls too. With the
            // 30 s give-up, the message is by now older than giveUpAfter.
            let attemptA = outbox.deliverDue(a, holding: firstHeld)
            try await until { first.deliveries == ["evt_1"] }
            outbox.clock.advance(61)
            let attemptB = outbox.deliverDue(b, holding: secondHeld)
            try await until { second.deliveries == ["evt_1"] }

            // A's failure arrives late, while B still holds the message: past A's back-off, nothing is due for C.
            firstHeld.open()
            #expect(try await attemptA.value == 0)
            outbox.clock.advance(5)
            #expect(try await c.deliverDue() == 0)
            #expect(third.deliveries.isEmpty)
            let held = try #require(try await outbox.state("evt_1"))
            #expect(held.status == .pending && held.failedAt == nil && held.attempts == 0)
            let late = try await outbox.log.attempts(message: held.id)
            #expect(late.map(\.error) == ["answered 503"] && late.first?.nextAttemptAt == nil)

            secondHeld.open()
            #expect(try await attemptB.value == 1)
            let delivered = try #require(try await outbox.state("evt_1"))
            #expect(delivered.status == .delivered && delivered.attempts == 1 && delivered.failedAt == nil)
            let attempts = try await outbox.log.attempts(message: delivered.id)
            #expect(attempts.count == 2 && attempts.count { $0.error == nil } == 1)
            #expect(try await c.deliverDue() == 0)
            #expect(third.deliveries.isEmpty && first.overlaps.isEmpty && second.overlaps.isEmpty)
        }
    }
}
