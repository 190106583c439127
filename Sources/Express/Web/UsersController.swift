import ExpressDomain
import Fluent
import Foundation
import Platform
import Vapor
import Vocabulary

/// Partner admins manage their team: add, change role, deactivate. Changes apply at the user's next
/// request (sessions reload the user) and sign-in, and are audited.
struct UsersController: RouteCollection {
    let service: ExpressService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("users", use: list)
        routes.post("users", use: add)
        routes.post("users", ":id", "role", use: changeRole)
        routes.post("users", ":id", "deactivate", use: deactivate)
    }

    struct Row: Encodable {
        var id: String
        var name: String
        var email: String
        var role: String
        var active: Bool
        var isYou: Bool
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
        var setPasswordURL: String?
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
        setPasswordURL: String? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let users = try await UserModel.query(on: service.db).filter(\.$partnerID == user.partnerID.rawValue).sort(
            \.$name
        ).all()
        let rows = users.map {
            Row(
                id: $0.userID.wire, name: $0.name, email: $0.email, role: $0.role, active: $0.active,
                isYou: $0.userID == user.id)
        }
        return try await req.page(
            "users", title: "Users", section: "users",
            Context(rows: rows, form: form, errors: errors, setPasswordURL: setPasswordURL), status: status)
    }

    func forbidden(_ req: Request) async throws -> Response {
        try await req.notice(
            .forbidden, title: "Only admins manage users", message: "Ask your organization's Express admin.")
    }

    func list(req: Request) async throws -> Response {
        guard let user = try await admin(req) else { return try await forbidden(req) }
        return try await render(req, user)
    }

    struct AddForm: Content {
        var email: String?
        var name: String?
        var role: String?
    }

    func add(req: Request) async throws -> Response {
        guard let user = try await admin(req) else { return try await forbidden(req) }
        let input = try req.content.decode(AddForm.self)
        let form = FormValues(
            email: (input.email ?? "").trimmingCharacters(in: .whitespaces).lowercased(),
            name: (input.name ?? "").trimmingCharacters(in: .whitespaces), role: input.role ?? "")
        var errors: [String: String] = [:]
        if form.email.split(separator: "@").count != 2 || !form.email.contains(".") || form.email.contains(" ") {
            errors["email"] = "Enter an email address such as name@example.com."
        } else if let existing = try await service.user(email: form.email) {
            // Whether an email is used by another organization is not this admin's to learn.
            errors["email"] =
                existing.partner == user.partnerID ? "This person is already on your team." : unusableEmail
        }
        if form.name.isEmpty { errors["name"] = "Enter the person's name." }
        if PartnerRole(rawValue: form.role) == nil { errors["role"] = "Choose admin, scheduler or viewer." }
        guard errors.isEmpty, let role = PartnerRole(rawValue: form.role) else {
            return try await render(req, user, form: form, errors: errors, status: .unprocessableEntity)
        }
        let link: String
        do {
            link = try await service.accounts.createAccount(email: form.email, name: form.name).setPasswordURL
        } catch is AccountExists {
            return try await render(
                req, user, form: form, errors: ["email": unusableEmail], status: .unprocessableEntity)
        } catch {
            return try await render(
                req, user, form: form,
                errors: [
                    "form": "We could not create the sign-in account just now. Nothing was saved; please try again."
                ],
                status: .serviceUnavailable)
        }
        let model = UserModel(
            partnerID: user.partnerID.rawValue, email: form.email, name: form.name, role: role, at: service.now())
        try await service.write { db in try await model.create(on: db) }
        try await service.audit.record(
            AuditEntry(
                action: "users.add", outcome: "success", detail: "added \(model.userID.wire) as \(role.rawValue)"),
            req.auditContext(user))
        req.flash(
            "success",
            "\(form.name) was added as \(role.label.lowercased()). Send them the link below to choose a password.")
        return try await render(req, user, setPasswordURL: link)
    }

    /// One answer for every email that cannot be added outside the admin's own team, whatever the reason.
    var unusableEmail: String {
        "This email cannot be used for a new Express account. Use another email address, or call us at \(service.config.supportPhone)."
    }
}
