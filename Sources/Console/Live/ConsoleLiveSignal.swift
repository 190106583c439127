import Foundation
import Platform
import Vapor
import Vocabulary

extension ConsoleLive {
    /// The topic of Console's own live events, apart from Station's (``topic``), whose newest id is Station's
    /// feed position (the follower's start, a page's `liveAfter`).
    package static let localTopic = "staff.console"
}

extension ConsoleService {
    /// Tells every Console instance's open pages what Station's feed does not carry: a nurse's triage claim or
    /// release (`careRequest` is the request; its row is fetched again) or a window's capacity (a fresh id no row
    /// shows, so only the board's `data-live-any` section is fetched again). Ids only.
    ///
    /// Stored in the shared `live_events` table, so the other instances' ``LiveEventRelay`` publishes it too, under
    /// a random negative id: Station's ids are positive, so the two never collide, and a negative id is local
    /// (``LiveEvent/isLocal``): its message carries no `id:`, so a page's reconnect still resumes after the last
    /// Station event it saw. A page that was disconnected meanwhile misses it (a reload shows the truth).
    ///
    /// The change it reports is already made: a failure here is logged, not thrown.
    package func signalLive(_ careRequest: CareRequestID = .random(), logger: Logger) async {
        let event = LiveEvent(
            id: -Int64.random(in: 1...Int64.max), topic: ConsoleLive.localTopic, careRequest: careRequest)
        let now = self.now()
        do {
            try await database.write { db in try await LiveEventStore.record(event, receivedAt: now, on: db) }
            live.publish(event, at: now)
        } catch {
            logger.warning("console.live: could not store a local live event: \(String(reflecting: error))")
        }
    }
}
