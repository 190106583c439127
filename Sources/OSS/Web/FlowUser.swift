import Foundation
import OSSDomain
import Platform
import Vapor
import Vocabulary

/// The signed-in person in one of OSS's two apps: a partner user (express tenant) or a patient.
struct FlowUser: Sendable {
    /// Who this person is, and so whose drafts they may open: a partner user acting for their partner, or a patient.
    var owner: Owner
    var roles: [String]
    var name: String
    var email: String

    var audience: Audience { owner.partnerID == nil ? .direct : .partner }
    /// The partner a partner user acts for; nil for a patient.
    var partner: PartnerID? { owner.partnerID }
    /// A patient's identity account; nil for a partner user.
    var account: String? {
        if case .patient(let account) = owner { return account }
        return nil
    }
}

/// One of the two apps: its path prefix, session cookie and identity provider client.
struct FlowApp: Sendable {
    var audience: Audience
    var prefix: String
    var relyingParty: RelyingParty

    func path(_ tail: String) -> String { prefix + tail }
}

extension Request {
    private struct FlowUserKey: StorageKey { typealias Value = FlowUser }

    var flowUser: FlowUser? {
        get { storage[FlowUserKey.self] }
        set { storage[FlowUserKey.self] = newValue }
    }

    func requireFlowUser() throws -> FlowUser {
        guard let user = flowUser else { throw Abort(.unauthorized) }
        return user
    }
}

/// Loads the signed-in person from this app's session or sends the browser to sign in (and back).
struct RequireFlowSignIn: AsyncMiddleware {
    let app: FlowApp
    let service: OSSService

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let session = request.webSession
        if session["audience"] == app.audience.rawValue, let user = Self.user(session, app) {
            // Redeeming a handoff, submitting and confirming a change write things: ask Express about the user
            // then, whatever the interval.
            let creates =
                request.method == .POST
                && (request.url.path == app.path("/start") || request.url.path.hasSuffix("/submit")
                    || request.url.path.hasSuffix("/confirm"))
            if case .ended(let message) = await PartnerStanding(service: service).check(request, user, force: creates) {
                session.destroy()
                return try await request.ossNotice(
                    .forbidden, app: app, title: "You are signed out", message: message,
                    linkURL: service.config.expressURL, linkText: "Go to Express")
            }
            // Read again: the standing check may have refreshed the roles.
            request.flowUser = Self.user(session, app)
            return try await next.respond(to: request)
        }
        var target = request.url.path
        if let query = request.url.query { target += "?" + query }
        if request.method != .GET {
            // The draft keeps every saved step: come back to the step that was being sent.
            let parts = request.url.path.split(separator: "/").map(String.init)
            if let index = parts.firstIndex(of: "drafts"), parts.count > index + 2,
                Step(rawValue: parts[index + 2]) != nil
            {
                target = app.path("/drafts/\(parts[index + 1])/\(parts[index + 2])")
            } else {
                target = app.path("/")
            }
        }
        var components = URLComponents()
        components.path = app.path("/sign-in")
        components.queryItems = [URLQueryItem(name: "return", value: target)]
        return request.redirect(to: components.string!)
    }

    /// The signed-in person of this app's session (which keeps the owner and partner as text); nil when signed out, or
    /// when a partner session lacks the Express user id or partner id that sign-in always writes.
    static func user(_ session: WebSession, _ app: FlowApp) -> FlowUser? {
        guard let text = session["owner"] else { return nil }
        let owner: Owner
        switch app.audience {
        case .partner:
            guard let partner = session["partner_id"].flatMap(PartnerID.init(wire:)), let user = UserID(wire: text)
            else { return nil }
            owner = .partnerUser(partner, user)
        case .direct:
            owner = .patient(account: text)
        }
        return FlowUser(
            owner: owner, roles: (session["roles"] ?? "").split(separator: ",").map(String.init),
            name: session["name"] ?? "", email: session["email"] ?? "")
    }
}
