import Foundation
import Platform
import Vapor
import Vocabulary

/// `GET /care-requests/live`: the signed-in user's partner's events as server-sent events, ids only (the list
/// and detail pages fetch what changed, audited, through their fragment routes). It resumes after
/// `Last-Event-ID` (or `?after=`, which a page sets to the newest event it was rendered with) and ends when the
/// session is signed out or the user deactivated.
struct LiveController: RouteCollection {
    let service: ExpressService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("care-requests", "live", use: stream)
    }

    func stream(req: Request) async throws -> Response {
        let user = try req.user()
        let resumeAfter =
            req.headers.first(name: "Last-Event-ID").flatMap { Int64($0) } ?? req.query[Int64.self, at: "after"]
        let session = req.webSession
        let service = self.service
        let (userID, partner) = (user.id, user.partnerID)
        return LiveEventStream(
            hub: service.live, store: LiveEventStore(database: service.database), topic: partner.wire,
            lastEventID: resumeAfter, settings: service.config.live
        ) {
            await service.stillSignedIn(session, user: userID, partner: partner)
        }
        .response()
    }
}

extension ExpressService {
    /// Whether a long-lived response may go on for this session's user: the session is not signed out (here or
    /// by the identity provider's back-channel) and the user is still active in the same partner.
    func stillSignedIn(_ session: WebSession, user: UserID, partner: PartnerID) async -> Bool {
        guard (try? await session.isOpen(on: db)) == true, let found = try? await self.user(user) else { return false }
        return found.active && found.partner == partner
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
