import Foundation

/// What one worker's background work has in flight: the messages it attempts (counted by destination), and when
/// it last pruned. Shared by the copies of the worker, which is a value.
final class OutboxLanes: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [UUID: String] = [:]
    private var prunedAt: Date?

    /// The messages being attempted, and the destinations that have `cap` of them.
    func busy(cap: Int) -> (messages: [UUID], fullDestinations: [String]) {
        lock.withLock {
            let counts = Dictionary(messages.values.map { ($0, 1) }, uniquingKeysWith: +)
            return (Array(messages.keys), counts.filter { $0.value >= cap }.map(\.key))
        }
    }

    /// Takes `message` for an attempt; false when it is taken already or its destination has `cap` messages in flight.
    func take(_ message: OutboxMessage, cap: Int) -> Bool {
        lock.withLock {
            guard messages[message.id] == nil,
                messages.values.count(where: { $0 == message.destination }) < cap
            else { return false }
            messages[message.id] = message.destination
            return true
        }
    }

    func release(_ message: OutboxMessage) { lock.withLock { _ = messages.removeValue(forKey: message.id) } }

    /// How many messages are in flight for `destination`.
    func inFlight(_ destination: String) -> Int {
        lock.withLock { messages.values.count(where: { $0 == destination }) }
    }

    /// True, and noted, when the last pruning is at least `interval` before `now` (or there was none).
    func startPruning(at now: Date, every interval: TimeInterval) -> Bool {
        lock.withLock {
            if let last = prunedAt, now.timeIntervalSince(last) < interval { return false }
            prunedAt = now
            return true
        }
    }
}
