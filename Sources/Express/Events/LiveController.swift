import Fluent
import Foundation
import Platform
import Vapor
import Vocabulary

/// `GET /care-requests/live`: the signed-in user's partner's events as server-sent events, ids only (the list
/// and detail pages fetch what changed, audited, through their fragment routes). It resumes after
/// `Last-Event-ID` (or `?after=`, which a page sets to the newest event it was rendered with) and ends when the
/// session is signed out or the user deactivated (within about two recheck intervals).
struct LiveController: RouteCollection {
    let service: ExpressService
    /// Re-checks the viewers of every open stream of this instance together: one batch per recheck interval
    /// (two queries), not two queries per stream.
    let viewers: LiveAccessChecker<LiveViewer>

    init(service: ExpressService) {
        self.service = service
        self.viewers = LiveAccessChecker(every: service.config.live.recheck) { try await service.stillSignedIn($0) }
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("care-requests", "live", use: stream)
    }

    func stream(req: Request) async throws -> Response {
        let user = try req.user()
        let resumeAfter =
            req.headers.first(name: "Last-Event-ID").flatMap { Int64($0) } ?? req.query[Int64.self, at: "after"]
        let viewer = req.webSession.storageKey.map { LiveViewer(session: $0, user: user.id, partner: user.partnerID) }
        let viewers = self.viewers
        return LiveEventStream(
            hub: service.live, store: LiveEventStore(database: service.database), topic: user.partnerID.wire,
            lastEventID: resumeAfter, settings: service.config.live
        ) {
            guard let viewer else { return false }
            return await viewers.allowed(viewer)
        }
        .response()
    }
}

/// Who listens to a live stream: the stored session (its key, not the cookie's id), its user and partner.
struct LiveViewer: Hashable, Sendable {
    var session: String
    var user: UserID
    var partner: PartnerID
}

extension ExpressService {
    /// Which of `viewers` may go on listening: the session is not signed out (here or by the identity provider's
    /// back-channel) and the user is still active in the same partner. Two queries per 500 viewers.
    func stillSignedIn(_ viewers: [LiveViewer]) async throws -> Set<LiveViewer> {
        // A stream still open as the application shuts down is re-checked no more (it ends unallowed).
        guard database.isOpen else { throw DatabaseClosed() }
        var allowed = Set<LiveViewer>()
        for start in stride(from: 0, to: viewers.count, by: 500) {
            let chunk = Array(viewers[start..<min(start + 500, viewers.count)])
            let open = try await WebSession.openSessions(among: chunk.map(\.session), on: db)
            let users = try await UserModel.query(on: db).filter(\.$id ~~ Set(chunk.map(\.user.rawValue))).all()
            let active = Set(users.filter(\.active).compactMap { user in user.id.map { "\($0)|\(user.partnerID)" } })
            allowed.formUnion(
                chunk.filter {
                    open.contains($0.session) && active.contains("\($0.user.rawValue)|\($0.partner.rawValue)")
                })
        }
        return allowed
    }

    /// The newest live event of `partner` this instance has stored, for a page to resume its stream after.
    func latestLiveEvent(partner: PartnerID) async throws -> Int64 {
        try await LiveEventStore(database: database).latestID(topic: partner.wire) ?? 0
    }
}

extension ExpressApp {
    /// Carries the events other instances received to this instance's pages, and prunes old ones.
    static func liveRelay(_ app: Application) throws -> RepeatingWork {
        let service = try service(app)
        return LiveEventRelay(hub: service.live, store: LiveEventStore(database: service.database), now: service.now)
            .repeatingWork(name: "express.live")
    }
}
