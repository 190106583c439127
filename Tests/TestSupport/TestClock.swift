import Foundation

/// A clock a test can move forward.
package final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    package init(_ start: Date = Date()) { current = start }

    package var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    package func advance(_ seconds: TimeInterval) {
        lock.lock()
        current = current.addingTimeInterval(seconds)
        lock.unlock()
    }
}
