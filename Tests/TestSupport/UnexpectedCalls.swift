import Foundation
import Testing

/// Where a test double reports a call the test did not stub, so that none succeeds quietly. A call made within the
/// test's task (the test's own calls, and the handlers of in-process requests) fails the test at once; one made
/// outside it (a background worker) is kept and fails the test when the harness calls ``verify()`` as it ends.
/// Either way the issue points at the double's line that refused the call.
package final class UnexpectedCalls: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [(call: String, location: SourceLocation)] = []

    package init() {}

    /// Reports `call`, what was asked in the double's words (`Station.markets()`), as one the test did not stub.
    package func record(
        _ call: String, fileID: String = #fileID, filePath: String = #filePath, line: Int = #line,
        column: Int = #column
    ) {
        let sourceLocation = SourceLocation(fileID: fileID, filePath: filePath, line: line, column: column)
        if Test.current != nil {
            Self.fail(call, at: sourceLocation)
        } else {
            lock.withLock { pending.append((call, sourceLocation)) }
        }
    }

    /// Fails the current test once for each call reported outside it, and forgets them.
    package func verify() {
        let calls = lock.withLock {
            defer { pending = [] }
            return pending
        }
        for (call, location) in calls { Self.fail(call, at: location) }
    }

    /// Whether `issue` is a double's report of an unexpected call (for `withKnownIssue(…, matching:)`, so that any
    /// other issue in the same body still fails the test).
    package static func reported(_ issue: Issue) -> Bool {
        issue.comments.contains { $0.rawValue.hasPrefix("unexpected call ") }
    }

    private static func fail(_ call: String, at location: SourceLocation) {
        // An explicit Comment: LeafKit makes String an Error, so a bare string would be recorded as a caught error
        // with no comment, which `reported(_:)` could not tell from any other.
        Issue.record(Comment(rawValue: "unexpected call \(call): the test did not stub it"), sourceLocation: location)
    }
}
