import ExpressDomain
import Foundation
import TestSupport

/// OSS's handoff API as a test stubs it: it answers only once the test said how, records what it was sent, and
/// fails the test on a push it did not expect.
final class FakeHandoffs: HandoffGateway, @unchecked Sendable {
    enum Answer {
        /// OSS makes a handle `handle-1`, `handle-2`, … for each push.
        case accept
        /// OSS cannot be reached.
        case unavailable
    }

    private let lock = NSLock()
    private var answer: Answer?
    private var received: [HandoffRequest] = []
    let unexpected = UnexpectedCalls()

    /// Says how OSS answers every push from now on.
    func stub(_ answer: Answer) { lock.withLock { self.answer = answer } }

    /// The handoffs OSS accepted, in order.
    var pushed: [HandoffRequest] { lock.withLock { received } }

    /// The one-time handles OSS made, in order.
    var handles: [String] { lock.withLock { received.indices.map { "handle-\($0 + 1)" } } }

    func push(_ handoff: HandoffRequest) async throws -> PushedHandoff {
        let (stubbed, count): (Answer?, Int) = lock.withLock {
            if answer == .accept { received.append(handoff) }
            return (answer, received.count)
        }
        switch stubbed {
        case .accept:
            return PushedHandoff(
                handle: "handle-\(count)", startURL: "http://localhost:8081/partner/start?handoff=handle-\(count)",
                expiresAt: Date().addingTimeInterval(600))
        case .unavailable:
            throw ServiceUnavailable(service: "Online Self Scheduling", description: "down")
        case nil:
            unexpected.record("OSS.push(handoff for user \(handoff.user.wire))")
            throw ServiceUnavailable(service: "Online Self Scheduling", description: "not stubbed")
        }
    }
}
