import ExpressDomain
import Fluent
import Foundation
import Platform
import SQLKit
import Vapor
import Vocabulary

/// The signed-in partner user, reloaded from Express's database on every request so that a deactivation
/// or a role change takes effect at once.
struct SessionUser: Sendable {
    var id: UserID
    var partnerID: PartnerID
    var partnerName: String
    var role: PartnerRole
    var name: String
    var email: String
    var timeZone: TimeZone
    var pageSize: Int
    /// Synthetic monitoring (the smoke check): its handoffs are pushed as synthetic and it is not in analytics.
    var synthetic: Bool = false

    var acting: ActingUser { ActingUser(id: id, partner: partnerID, role: role, synthetic: synthetic) }
}

extension Request {
    private struct SessionUserKey: StorageKey { typealias Value = SessionUser }

    var sessionUser: SessionUser? {
        get { storage[SessionUserKey.self] }
        set { storage[SessionUserKey.self] = newValue }
    }

    /// The signed-in user; pages behind ``RequireSignIn`` always have one.
    func user() throws -> SessionUser {
        guard let user = sessionUser else { throw Abort(.unauthorized) }
        return user
    }

    /// Where this request came from, for an audit row about `user` and `partner` (none before sign-in).
    func auditContext(user: UserID? = nil, partner: PartnerID? = nil) -> AuditContext {
        AuditContext(user: user, partner: partner, requestID: id, client: remoteAddress?.ipAddress ?? "unknown")
    }

    /// Where this request came from, for an audit row about the signed-in `user`.
    func auditContext(_ user: SessionUser) -> AuditContext { auditContext(user: user.id, partner: user.partnerID) }

    /// What a use case is given for the signed-in user's page request.
    func useCase(_ user: SessionUser) -> UseCaseContext {
        UseCaseContext(
            user: user.acting, channel: .pages, requestID: id, client: remoteAddress?.ipAddress ?? "unknown",
            logger: logger)
    }
}

extension ExpressService {
    /// The active user `id` with their partner's name and their preferences (the defaults where none are saved),
    /// or nil when the user is unknown or deactivated. Every signed-in page reads it: one statement, written as SQL
    /// text and decoded column by column (three model reads by reflection before).
    func signedInUser(_ id: UserID) async throws -> SessionUser? {
        let rows = try await db.sql.raw(
            """
            SELECT u.partner_id AS partner_id, u.email AS email, u.name AS name, u.role AS role,
            u.synthetic AS synthetic, pa.name AS partner_name, p.display_name AS display_name,
            p.time_zone AS time_zone, p.page_size AS page_size
            FROM users u JOIN partners pa ON pa.id = u.partner_id LEFT JOIN preferences p ON p.user_id = u.id
            WHERE u.id = \(bind: id.rawValue) AND u.active = \(bind: true)
            """
        ).all()
        guard let row = rows.first else { return nil }
        func optional<T: Decodable>(_ column: String, _ type: T.Type) throws -> T? {
            try row.decodeNil(column: column) ? nil : try row.decode(column: column, as: type)
        }
        let name = try row.decode(column: "name", as: String.self)
        let denver = TimeZone(identifier: "America/Denver") ?? .gmt
        return SessionUser(
            id: id, partnerID: PartnerID(rawValue: try row.decode(column: "partner_id", as: UUID.self)),
            partnerName: try row.decode(column: "partner_name", as: String.self),
            role: PartnerRole(rawValue: try row.decode(column: "role", as: String.self)) ?? .viewer,
            name: try optional("display_name", String.self) ?? name,
            email: try row.decode(column: "email", as: String.self),
            timeZone: try optional("time_zone", String.self).flatMap(TimeZone.init(identifier:)) ?? denver,
            pageSize: try optional("page_size", Int.self) ?? 25,
            synthetic: try row.decode(column: "synthetic", as: Bool.self))
    }
}

/// Sends signed-out browsers to sign-in (then back where they were going) and loads the user otherwise.
struct RequireSignIn: AsyncMiddleware {
    let service: ExpressService

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let session = request.webSession
        if let raw = session["user_id"], let id = UserID(wire: raw), let user = try await service.signedInUser(id) {
            request.sessionUser = user
            return try await next.respond(to: request)
        }
        if session["user_id"] != nil { session.destroy() }
        guard request.method == .GET else {
            return request.redirect(to: "/sign-in")
        }
        var target = request.url.path
        if let query = request.url.query { target += "?" + query }
        var components = URLComponents()
        components.path = "/sign-in"
        components.queryItems = [URLQueryItem(name: "return", value: target)]
        if request.sessionExpired { components.queryItems?.append(URLQueryItem(name: "expired", value: "1")) }
        return request.redirect(to: components.string!)
    }
}
