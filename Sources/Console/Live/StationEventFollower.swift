import Foundation
import NIOConcurrencyHelpers
import Platform
import StationAPI
import Vocabulary

/// Console's live pages: the topic every Console live event is stored and streamed under. Staff pages show every
/// partner's requests, and Station's events carry no market, so there is one topic; each page re-fetches its own
/// market-scoped fragment from Station with the staff member's token, which decides what they may see.
package enum ConsoleLive {
    package static let topic = "staff"
}

/// Follows Station's event feed (`GET /v1/events?after=`, Console's machine token, `station.events.read`) and
/// turns every event into a ``LiveEvent`` for the open queue and board pages: stored in Console's `live_events`
/// (a reconnecting page replays what it missed after `Last-Event-ID`) and published to this instance's hub.
///
/// Several instances: EACH instance follows the feed itself, with its own cursor in memory, so every instance's
/// pages hear every event within one poll, however the load balancer spreads the browsers, with nothing to
/// coordinate. On a shared PostgreSQL the first instance to store an event id wins; the others' insert of the same
/// id is skipped (``record(_:at:)``), so replay rows are not duplicated. The ``LiveEventRelay`` that also runs
/// carries rows stored by another instance to this one's pages, so a follower that is failing for a while (its
/// token, its connection) still leaves its pages live; the hub publishes each id once whichever path brings it.
///
/// The cursor starts at the newest event stored in `live_events` or, on an empty table, at the feed's newest
/// event: live pages need only what happens from now on (a reload always shows Station's truth).
package final class StationEventFollower: Sendable {
    let feed: StationAPI.Client
    let store: LiveEventStore
    let hub: LiveEventHub
    let now: @Sendable () -> Date
    let pageSize: Int
    private let cursor = NIOLockedValueBox<Int64?>(nil)

    init(
        feed: StationAPI.Client, store: LiveEventStore, hub: LiveEventHub, now: @escaping @Sendable () -> Date,
        pageSize: Int = 200
    ) {
        self.feed = feed
        self.store = store
        self.hub = hub
        self.now = now
        self.pageSize = pageSize
    }

    /// The last event id handled; nil before the first pass.
    package var position: Int64? { cursor.withLockedValue { $0 } }

    /// Reads every new event, stores and publishes each, and moves the cursor past them. Returns how many.
    @discardableResult
    package func pass() async throws -> Int {
        guard var after = position else {
            try await start()
            return 0
        }
        var handled = 0
        while true {
            let page = try await events(after: after)
            let at = now()
            for event in page.events {
                guard let careRequest = CareRequestID(wire: event.careRequestId) else { continue }
                let live = LiveEvent(
                    id: event.id, topic: ConsoleLive.topic, careRequest: careRequest,
                    created: event._type == .careRequest_created)
                try await record(live, at: at)
                hub.publish(live, at: at)
                handled += 1
            }
            after = max(after, page.nextAfter)
            cursor.withLockedValue { $0 = after }
            guard page.hasMore, !page.events.isEmpty else { return handled }
        }
    }

    /// The first position: the newest stored event (shared with the other instances), else the feed's newest.
    private func start() async throws {
        if let stored = try await store.latestID(topic: ConsoleLive.topic) {
            cursor.withLockedValue { $0 = stored }
            return
        }
        var after: Int64 = 0
        while true {
            let page = try await events(after: after, limit: 500)
            after = max(after, page.nextAfter)
            guard page.hasMore, !page.events.isEmpty else { break }
        }
        cursor.withLockedValue { $0 = after }
    }

    private func events(after: Int64, limit: Int? = nil) async throws -> Components.Schemas.EventPage {
        try await StationStaffGateway.call {
            switch try await feed.listEvents(query: .init(after: after, limit: limit ?? pageSize)) {
            case .ok(let ok): return try ok.body.json
            case let other: throw StationStaffGateway.refusal(other)
            }
        }
    }

    /// Stores `event` unless an instance stored it first (its insert fails on the shared id; then the row is there).
    private func record(_ event: LiveEvent, at: Date) async throws {
        do {
            try await store.database.write { db in try await LiveEventStore.record(event, receivedAt: at, on: db) }
        } catch {
            let stored = try await store.events(topic: event.topic, after: event.id - 1, limit: 1)
            guard stored.first?.id == event.id else { throw error }
        }
    }

    /// Follows the feed every `interval` until shutdown.
    package func repeatingWork(every interval: Duration) -> RepeatingWork {
        RepeatingWork("console.events", every: interval) { [self] in try await pass() }
    }
}
