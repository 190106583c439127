import Foundation
import Testing

/// Where a double reports a call the test did not stub. Inside the test's task the failure is recorded at once;
/// a call from a request handler running outside it is kept and recorded by the harness when the test ends, so
/// no unexpected call passes silently either way.
final class UnexpectedCalls: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [String] = []

    func record(_ message: String) {
        if Test.current != nil {
            Issue.record(Comment(rawValue: message))
        } else {
            lock.withLock { pending.append(message) }
        }
    }

    /// Records the calls reported outside the test's task; the harness calls it as the test ends.
    func flush() {
        for message in lock.withLock({ pending }) { Issue.record(Comment(rawValue: message)) }
        lock.withLock { pending = [] }
    }
}
