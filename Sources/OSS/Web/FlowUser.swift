import Foundation
import OSSDomain
import Platform
import Vapor
import Vocabulary

/// The signed-in person in one of OSS's two apps: a partner user (express tenant) or a patient.
struct FlowUser: Sendable {
    var audience: Audience
    /// The Express user id for partner users; the account subject for patients.
    var owner: String
    var partnerID: UUID?
    var roles: [String]
    var name: String
    var email: String

    /// Who this person is as the owner of drafts; nil for a partner session without an Express user id.
    var ownerValue: Owner? {
        switch audience {
        case .partner:
            guard let partnerID, let user = UserID(wire: owner) else { return nil }
            return .partnerUser(PartnerID(rawValue: partnerID), user)
        case .direct:
            return .patient(account: owner)
        }
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
        if session["owner"] != nil, session["audience"] == app.audience.rawValue {
            // Redeeming a handoff and submitting create things: ask Express about the user then, whatever the interval.
            let creates = request.method == .POST && (request.url.path == app.path("/start") || request.url.path.hasSuffix("/submit"))
            if let user = Self.user(session, app), case .ended(let message) = await PartnerStanding(service: service).check(request, user, force: creates) {
                session.destroy()
                return try await request.ossNotice(.forbidden, app: app, title: "You are signed out", message: message,
                                                   linkURL: service.config.expressURL, linkText: "Go to Express")
            }
            request.flowUser = Self.user(session, app)
            return try await next.respond(to: request)
        }
        var target = request.url.path
        if let query = request.url.query { target += "?" + query }
        if request.method != .GET {
            // The draft keeps every saved step: come back to the step that was being sent.
            let parts = request.url.path.split(separator: "/").map(String.init)
            if let index = parts.firstIndex(of: "drafts"), parts.count > index + 2, Step(rawValue: parts[index + 2]) != nil {
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

    static func user(_ session: WebSession, _ app: FlowApp) -> FlowUser? {
        guard let owner = session["owner"] else { return nil }
        return FlowUser(audience: app.audience, owner: owner, partnerID: session["partner_id"].flatMap(UUID.init(uuidString:)),
                        roles: (session["roles"] ?? "").split(separator: ",").map(String.init),
                        name: session["name"] ?? "", email: session["email"] ?? "")
    }
}
