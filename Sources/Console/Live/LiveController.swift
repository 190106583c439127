import Foundation
import Platform
import Vapor

/// `GET /live`: Station's events and Console's own (a triage claim, a capacity change: ``ConsoleService/signalLive(_:logger:)``)
/// as server-sent events for the signed-in staff member's open page, ids only (the
/// page re-fetches its fragments, which Station scopes to the staff member's markets). It resumes after
/// `Last-Event-ID` (or `?after=`, which a page sets to `layout.liveAfter`) and ends with `event: signed-out` once
/// the session is signed out (here, or by Identity's back-channel logout) within about two recheck intervals.
struct LiveController: RouteCollection {
    let service: ConsoleService
    /// Re-checks the sessions of every open stream of this instance together (one query per recheck interval).
    let viewers: LiveAccessChecker<String>

    init(service: ConsoleService) {
        self.service = service
        let database = service.database
        self.viewers = LiveAccessChecker(every: service.config.live.recheck) { sessions in
            // A stream still open as the application shuts down is re-checked no more (it ends unallowed).
            guard database.isOpen else { throw DatabaseClosed() }
            return try await WebSession.openSessions(among: sessions, on: database.db)
        }
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("live", use: stream)
    }

    func stream(req: Request) async throws -> Response {
        _ = try req.staffMember
        let resumeAfter =
            req.headers.first(name: "Last-Event-ID").flatMap { Int64($0) } ?? req.query[Int64.self, at: "after"]
        let session = req.webSession.storageKey
        let viewers = self.viewers
        return LiveEventStream(
            hub: service.live, store: LiveEventStore(database: service.database), topic: LiveEventHub.allTopics,
            lastEventID: resumeAfter, settings: service.config.live
        ) {
            guard let session else { return false }
            return await viewers.allowed(session)
        }
        .response()
    }
}
