import Foundation

/// Carries to this instance's pages the events another instance received: it polls the `live_events` table the
/// instances share (SQLite in one process, PostgreSQL at scale) for rows it has not published, so no new
/// infrastructure is needed. Also prunes rows older than `keep`.
///
/// It looks back `lookBack` rather than following an id cursor: ids come from the publisher (Station) and two
/// instances may commit them out of order, so a cursor could step over one that commits late.
package struct LiveEventRelay: Sendable {
    package let hub: LiveEventHub
    package let store: LiveEventStore
    package var lookBack: TimeInterval = 10
    package var keep: TimeInterval = 3600
    package let now: @Sendable () -> Date

    package init(hub: LiveEventHub, store: LiveEventStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.hub = hub
        self.store = store
        self.now = now
    }

    /// Publishes the recent events not yet published here; returns how many.
    @discardableResult
    package func relayNew() async throws -> Int {
        let now = self.now()
        var relayed = 0
        for event in try await store.events(receivedSince: now.addingTimeInterval(-lookBack))
        where hub.publish(event, at: now) {
            relayed += 1
        }
        hub.forgetPublished(before: now.addingTimeInterval(-6 * lookBack))
        return relayed
    }

    /// Relays every `interval` and prunes old rows about once a minute, until shutdown, when it ends every open
    /// stream of the hub (so open pages do not hold the server's shutdown back).
    package func repeatingWork(name: String, every interval: Duration = .milliseconds(300)) -> RepeatingWork {
        RepeatingWork(name, every: .seconds(1)) {
            try await withTaskCancellationHandler {
                try await run(every: interval)
            } onCancel: {
                hub.finishAll()
            }
        }
    }

    private func run(every interval: Duration) async throws {
        var lastPrune = Date.distantPast
        while !Task.isCancelled {
            try await relayNew()
            let now = self.now()
            if now.timeIntervalSince(lastPrune) > 60 {
                try await store.prune(before: now.addingTimeInterval(-keep))
                lastPrune = now
            }
            try? await Task.sleep(for: BackgroundPace.pause(interval))
        }
    }
}
