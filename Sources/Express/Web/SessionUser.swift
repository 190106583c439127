import ExpressDomain
import Foundation
import Platform
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

/// Sends signed-out browsers to sign-in (then back where they were going) and loads the user otherwise.
struct RequireSignIn: AsyncMiddleware {
    let service: ExpressService

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let session = request.webSession
        if let raw = session["user_id"], let id = UserID(wire: raw), let user = try await service.user(id), user.active,
            let partner = try await service.partner(user.partner)
        {
            let preferences = try await service.preferences(id)
            request.sessionUser = SessionUser(
                id: id, partnerID: user.partner, partnerName: partner.name, role: user.roleValue,
                name: preferences.displayName ?? user.name, email: user.email,
                timeZone: TimeZone(identifier: preferences.timeZone) ?? TimeZone(identifier: "America/Denver")!,
                pageSize: preferences.pageSize, synthetic: user.synthetic)
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
