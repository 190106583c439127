import ExpressDomain
import Fluent
import Foundation
import Platform
import Vapor
import Vocabulary

/// Partner admins manage their team: add, edit, change role, deactivate, reactivate, and send invitations again.
/// Changes apply at the user's next request (sessions reload the user) and sign-in, and are audited.
struct UsersController: RouteCollection {
    let service: ExpressService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("users", use: list)
        routes.post("users", use: add)
        routes.get("users", ":id", "edit", use: editForm)
        routes.post("users", ":id", "edit", use: edit)
        routes.post("users", ":id", "role", use: changeRole)
        routes.post("users", ":id", "deactivate", use: deactivate)
        routes.post("users", ":id", "reactivate", use: reactivate)
        routes.post("users", ":id", "invitation", use: sendInvitation)
    }

    struct Row: Encodable {
        var id: String
        var name: String
        var email: String
        var role: String
        var active: Bool
        var isYou: Bool
        /// The status in words (``MemberStatus``).
        var status: String
        var invitationAction: String?
        var mayReactivate: Bool
    }

    struct FormValues: Encodable {
        var email = ""
        var name = ""
        var role = "scheduler"
    }

    struct Context: Encodable {
        var rows: [Row]
        var form: FormValues
        var errors: [String: String]
        /// The identity provider did not answer: invitation states are not shown.
        var statesUnavailable: Bool
    }

    func admin(_ req: Request) async throws -> SessionUser? {
        let user = try req.user()
        guard Team.mayManage(user.acting) else {
            try await service.audit.record(AuditEntry(action: "users.view", outcome: "denied"), req.auditContext(user))
            return nil
        }
        return user
    }

    func render(
        _ req: Request, _ user: SessionUser, form: FormValues = .init(), errors: [String: String] = [:],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let users = try await UserModel.query(on: service.db).filter(\.$partnerID == user.partnerID.rawValue).sort(
            \.$name
        ).all()
        let accounts = try await service.identityAccounts(of: users)
        let rows = users.map { model in
            let standing = MemberStatus(
                active: model.active,
                invitation: accounts.map { $0[model.userID]?.invitation.state ?? InvitationState.none })
            return Row(
                id: model.userID.wire, name: model.name, email: model.email, role: model.role, active: model.active,
                isYou: model.userID == user.id, status: standing.words,
                invitationAction: standing.invitationAction?.rawValue, mayReactivate: standing.mayReactivate)
        }
        return try await req.page(
            "users", title: "Users", section: "users",
            Context(rows: rows, form: form, errors: errors, statesUnavailable: accounts == nil), status: status)
    }

    func forbidden(_ req: Request) async throws -> Response {
        try await req.notice(
            .forbidden, title: "Only admins manage users", message: "Ask your organization's Express admin.")
    }

    func list(req: Request) async throws -> Response {
        guard let user = try await admin(req) else { return try await forbidden(req) }
        return try await render(req, user)
    }

    /// What is wrong with `email` as a teammate's new email (`except` is the teammate's own row), or nil.
    func emailProblem(_ email: String, for user: SessionUser, except: UserID? = nil) async throws -> String? {
        if email.split(separator: "@").count != 2 || !email.contains(".") || email.contains(" ") {
            return "Enter an email address such as name@example.com."
        }
        guard let existing = try await service.user(email: email), existing.userID != except else { return nil }
        // Whether an email is used by another organization is not this admin's to learn.
        return existing.partner == user.partnerID ? "This person is already on your team." : unusableEmail
    }

    /// One answer for every email that cannot be used outside the admin's own team, whatever the reason.
    var unusableEmail: String {
        "This email cannot be used for a new Express account. Use another email address, or call us at \(service.config.supportPhone)."
    }

    static let identityDown = "We could not reach the sign-in service just now. Nothing was saved; please try again."
}
