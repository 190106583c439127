import ExpressDomain
import Fluent
import Foundation
import Platform
import Vapor
import Vocabulary

/// One-click unsubscribe from notification emails (RFC 8058). The signed token in the link is the credential:
/// no session and no CSRF token, so a mail client's `List-Unsubscribe=One-Click` POST works as well as the
/// button on the confirmation page. Opening the link changes nothing (link scanners open links).
struct UnsubscribeController: RouteCollection {
    let service: ExpressService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("unsubscribe", ":token", use: confirm)
        routes.post("unsubscribe", ":token", use: unsubscribe)
    }

    func confirm(req: Request) async throws -> Response {
        let (token, user) = try await reader(req)
        guard let user else { return try await refusal(req, token) }
        struct Context: Encodable {
            var email: String
            var action: String
        }
        let view = try await req.view.render("unsubscribe", Context(email: user.email, action: "/unsubscribe/\(token)"))
        return try await view.encodeResponse(for: req)
    }

    func unsubscribe(req: Request) async throws -> Response {
        let (token, user) = try await reader(req)
        guard let user else { return try await refusal(req, token) }
        let stored = try await service.preferences(user.userID)
        stored.notifyAbout = NotificationScope.none.rawValue
        let log = service.audit
        let origin = req.auditContext(user: user.userID, partner: user.partner)
        try await service.write { db in
            try await stored.save(on: db)
            try await log.record(AuditEntry(action: "notifications.unsubscribe", outcome: "success"), origin, on: db)
        }
        return try await req.signedOutPage(
            .ok, heading: "You are unsubscribed",
            message: "Express will not email \(user.email) about care requests any more. "
                + "You can choose other emails on your profile.",
            linkURL: "/profile", linkText: "Open your profile")
    }

    /// The token and, when it is valid, the user it names (a deactivated user's link still unsubscribes).
    private func reader(_ req: Request) async throws -> (token: String, user: UserModel?) {
        let token = req.parameters.get("token") ?? ""
        guard let id = try? service.unsubscribeLinks.user(token, now: service.now()) else { return (token, nil) }
        return (token, try await service.user(id))
    }

    private func refusal(_ req: Request, _ token: String) async throws -> Response {
        let expired: Bool
        do {
            _ = try service.unsubscribeLinks.user(token, now: service.now())
            expired = false
        } catch {
            expired = error == .expired
        }
        return try await req.signedOutPage(
            expired ? .gone : .badRequest,
            heading: expired ? "This link has expired" : "This link is not valid",
            message: "Nothing was changed. To stop or change notification emails, sign in and open your profile.",
            linkURL: "/profile", linkText: "Open your profile")
    }
}
