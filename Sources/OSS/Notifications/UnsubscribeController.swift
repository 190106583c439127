import Fluent
import Foundation
import OSSDomain
import Platform
import Vapor

/// One-click unsubscribe from the patients' emails (RFC 8058): `GET /unsubscribe/<token>` asks to confirm,
/// `POST` (the page's button, or a mail client's `List-Unsubscribe=One-Click`) records the choice, which
/// ``PatientNotifications`` reads before queuing an email. The signed token is the credential: no sign-in, no
/// form token, and a forged or altered one is refused with 400.
struct UnsubscribeController: RouteCollection {
    let app: FlowApp
    let service: OSSService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("unsubscribe", ":token", use: confirm)
        routes.post("unsubscribe", ":token", use: unsubscribe)
    }

    struct Page: Encodable {
        var done: Bool
        var action: String
    }

    func confirm(req: Request) async throws -> Response {
        guard let token = try? self.token(req) else { return try await refused(req) }
        return try await req.ossPage(
            "unsubscribe", "Stop emails", app: app, Page(done: false, action: "/unsubscribe/\(token.1)"))
    }

    func unsubscribe(req: Request) async throws -> Response {
        guard let (choice, _) = try? token(req) else { return try await refused(req) }
        let at = service.now()
        try await service.write { db in
            guard
                try await EmailOptOutModel.query(on: db).filter(\.$account == choice.account)
                    .filter(\.$kind == choice.kind.rawValue).first() == nil
            else { return }
            let row = EmailOptOutModel()
            row.id = UUID()
            row.account = choice.account
            row.kind = choice.kind.rawValue
            row.createdAt = at
            try await row.create(on: db)
        }
        await service.audit(
            "email.unsubscribe", actor: choice.account, partner: nil, subject: choice.kind.rawValue, outcome: "ok",
            request: req)
        return try await req.ossPage("unsubscribe", "Unsubscribed", app: app, Page(done: true, action: ""))
    }

    private func token(_ req: Request) throws -> (EmailUnsubscribe, String) {
        guard let text = req.parameters.get("token"),
            let choice = EmailUnsubscribe(token: text, secret: PatientNotifications.secret(service))
        else { throw Abort(.badRequest) }
        return (choice, text)
    }

    private func refused(_ req: Request) async throws -> Response {
        try await req.ossNotice(
            .badRequest, app: app, title: "This link does not work",
            message: "This unsubscribe link is not valid. Use the link in the latest email we sent you, or call us.",
            linkURL: "/", linkText: "Home")
    }
}
