import Foundation
import NIOConcurrencyHelpers

/// In-process fan-out of ``LiveEvent``s to the open live pages of one service instance, by topic.
///
/// Each subscriber gets its own bounded buffer. A subscriber that falls `bufferSize` events behind is dropped:
/// its stream ends, and its page reconnects with the last id it saw and replays the rest from the database,
/// so one slow browser never holds the others back or grows the server's memory.
package final class LiveEventHub: Sendable {
    /// Every topic: for a page that shows all of them (staff).
    package static let allTopics = "*"

    private struct Subscriber {
        var topic: String
        var continuation: AsyncStream<LiveEvent>.Continuation
    }

    private struct State {
        var subscribers: [UUID: Subscriber] = [:]
        /// Ids published here (by this instance's receiver or by the relay), with when, so nothing is sent twice.
        var published: [Int64: Date] = [:]
    }

    private let state = NIOLockedValueBox(State())
    package let bufferSize: Int

    package init(bufferSize: Int = 64) { self.bufferSize = bufferSize }

    /// Events of `topic` (or ``allTopics``) from now on, until the subscription is cancelled or falls behind.
    package func subscribe(_ topic: String) -> LiveSubscription {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(
            of: LiveEvent.self, bufferingPolicy: .bufferingOldest(bufferSize))
        continuation.onTermination = { [weak self] _ in self?.remove(id) }
        state.withLockedValue { $0.subscribers[id] = Subscriber(topic: topic, continuation: continuation) }
        return LiveSubscription(events: stream) { continuation.finish() }
    }

    /// Sends `event` to its topic's subscribers, once per id however often it is published (the receiver and the
    /// relay may both see it). Returns whether it was new here.
    @discardableResult
    package func publish(_ event: LiveEvent, at now: Date = Date()) -> Bool {
        let (targets, fresh) = state.withLockedValue { state -> ([Subscriber], Bool) in
            guard state.published.updateValue(now, forKey: event.id) == nil else { return ([], false) }
            return (
                state.subscribers.values.filter { $0.topic == event.topic || $0.topic == Self.allTopics }, true
            )
        }
        for target in targets {
            if case .dropped = target.continuation.yield(event) { target.continuation.finish() }
        }
        return fresh
    }

    /// Whether `id` was published here.
    package func hasPublished(_ id: Int64) -> Bool { state.withLockedValue { $0.published[id] != nil } }

    /// Forgets ids published before `date` (the relay calls it with its look-back horizon).
    package func forgetPublished(before date: Date) {
        state.withLockedValue { $0.published = $0.published.filter { $0.value >= date } }
    }

    /// How many pages listen to `topic` right now (``allTopics``: to any topic).
    package func subscriberCount(_ topic: String = LiveEventHub.allTopics) -> Int {
        state.withLockedValue { state in
            topic == Self.allTopics
                ? state.subscribers.count : state.subscribers.values.filter { $0.topic == topic }.count
        }
    }

    /// Ends every subscription (at shutdown).
    package func finishAll() {
        let all = state.withLockedValue { Array($0.subscribers.values) }
        for subscriber in all { subscriber.continuation.finish() }
    }

    private func remove(_ id: UUID) { state.withLockedValue { _ = $0.subscribers.removeValue(forKey: id) } }
}

/// One page's subscription: its events, and `cancel` to leave (also when the stream is dropped).
package struct LiveSubscription: Sendable {
    package let events: AsyncStream<LiveEvent>
    package let cancel: @Sendable () -> Void
}
