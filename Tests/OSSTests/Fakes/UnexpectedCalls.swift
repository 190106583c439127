import Foundation
@testable import OSS
import Testing

/// Where the fakes report a call the test did not stub. A call made within the test's task (in-process requests
/// are) fails the test at once; one made outside it (a background worker) fails it when the harness ends the test.
final class UnexpectedCalls: @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [String] = []

    func record(_ call: String) {
        if Test.current != nil {
            Issue.record("unexpected call \(call): the test did not stub it")
        } else {
            lock.withLock { calls.append(call) }
        }
    }

    /// Fails the current test for each call recorded outside it.
    func verify() {
        for call in lock.withLock({ calls }) { Issue.record("unexpected call \(call): the test did not stub it") }
    }
}

/// What a fake throws for a call nobody stubbed: to OSS it looks like the service did not answer.
func notStubbed(_ service: String, _ call: String) -> Unavailable {
    Unavailable(service: service, description: "not stubbed: \(service).\(call)")
}
