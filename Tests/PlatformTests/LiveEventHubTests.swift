import Foundation
import Testing
import Vocabulary

@testable import Platform

/// The live pages' fan-out: by topic, once per event id, and a subscriber that falls behind is dropped (its page
/// reconnects and replays from the database) instead of holding the others back.
@Suite("Live event hub")
struct LiveEventHubTests {
    static func event(_ id: Int64, _ topic: String) -> LiveEvent {
        LiveEvent(id: id, topic: topic, careRequest: .random())
    }

    @Test("each subscriber hears its own topic's events, each id once; the all-topics subscriber hears every one")
    func fanOutByTopic() async {
        let hub = LiveEventHub()
        let sunrise = hub.subscribe("sunrise")
        let mercy = hub.subscribe("mercy")
        let staff = hub.subscribe(LiveEventHub.allTopics)
        let first = Self.event(1, "sunrise")
        let second = Self.event(2, "mercy")
        #expect(hub.publish(first))
        #expect(!hub.publish(first))
        #expect(hub.publish(second))
        for subscription in [sunrise, mercy, staff] { subscription.cancel() }
        #expect(await collected(sunrise.events) == [first])
        #expect(await collected(mercy.events) == [second])
        #expect(await collected(staff.events) == [first, second])
        #expect(hub.subscriberCount() == 0)
    }

    @Test("a subscriber that falls a buffer behind is dropped; the others keep hearing")
    func slowConsumerDropped() async {
        let hub = LiveEventHub(bufferSize: 2)
        let slow = hub.subscribe("sunrise")
        let events = (1...3).map { Self.event(Int64($0), "sunrise") }
        for event in events.prefix(2) { hub.publish(event) }
        let keeping = hub.subscribe("sunrise")
        hub.publish(events[2])
        // The slow one got what fitted, then its stream ended: it will reconnect and replay.
        #expect(await collected(slow.events) == Array(events.prefix(2)))
        keeping.cancel()
        #expect(await collected(keeping.events) == [events[2]])
    }
}

/// Everything a finished stream yields.
func collected(_ stream: AsyncStream<LiveEvent>) async -> [LiveEvent] {
    var events: [LiveEvent] = []
    for await event in stream { events.append(event) }
    return events
}
