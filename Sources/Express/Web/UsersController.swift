import Fluent
import Foundation
import Platform
import Vapor

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
        guard user.role.canManageUsers else {
            try await service.audit.record(AuditEntry(userID: user.id, partnerID: user.partnerID, action: "users.view", outcome: "denied"),
                                           request: req)
            return nil
        }
        return user
    }

    func render(_ req: Request, _ user: SessionUser, form: FormValues = .init(), errors: [String: String] = [:],
                setPasswordURL: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let users = try await UserModel.query(on: service.db).filter(\.$partnerID == user.partnerID).sort(\.$name).all()
        let rows = users.map { Row(id: $0.id!.uuidString.lowercased(), name: $0.name, email: $0.email, role: $0.role, active: $0.active,
                                   isYou: $0.id == user.id) }
        return try await req.page("users", title: "Users", section: "users",
                                  Context(rows: rows, form: form, errors: errors, setPasswordURL: setPasswordURL), status: status)
    }

    func forbidden(_ req: Request) async throws -> Response {
        try await req.notice(.forbidden, title: "Only admins manage users", message: "Ask your organization's Express admin.")
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
        let form = FormValues(email: (input.email ?? "").trimmingCharacters(in: .whitespaces).lowercased(),
                              name: (input.name ?? "").trimmingCharacters(in: .whitespaces), role: input.role ?? "")
        var errors: [String: String] = [:]
        if form.email.split(separator: "@").count != 2 || !form.email.contains(".") || form.email.contains(" ") {
            errors["email"] = "Enter an email address such as name@example.com."
        } else if let existing = try await service.user(email: form.email) {
            // Whether an email is used by another organization is not this admin's to learn.
            errors["email"] = existing.partnerID == user.partnerID ? "This person is already on your team." : unusableEmail
        }
        if form.name.isEmpty { errors["name"] = "Enter the person's name." }
        if Role(rawValue: form.role) == nil { errors["role"] = "Choose admin, scheduler or viewer." }
        guard errors.isEmpty, let role = Role(rawValue: form.role) else {
            return try await render(req, user, form: form, errors: errors, status: .unprocessableEntity)
        }
        let link: String
        do {
            link = try await service.accounts.createAccount(email: form.email, name: form.name)
        } catch is AccountExists {
            return try await render(req, user, form: form, errors: ["email": unusableEmail], status: .unprocessableEntity)
        } catch {
            return try await render(req, user, form: form, errors: ["form": "We could not create the sign-in account just now. Nothing was saved; please try again."],
                                    status: .serviceUnavailable)
        }
        let model = UserModel(partnerID: user.partnerID, email: form.email, name: form.name, role: role, at: service.now())
        try await service.write { db in try await model.create(on: db) }
        try await service.audit.record(AuditEntry(userID: user.id, partnerID: user.partnerID, action: "users.add", outcome: "success",
                                                  detail: "added \(model.id!.uuidString.lowercased()) as \(role.rawValue)"), request: req)
        req.flash("success", "\(form.name) was added as \(role.label.lowercased()). Send them the link below to choose a password.")
        return try await render(req, user, setPasswordURL: link)
    }

    /// One answer for every email that cannot be added outside the admin's own team, whatever the reason.
    var unusableEmail: String {
        "This email cannot be used for a new Express account. Use another email address, or call us at \(service.config.supportPhone)."
    }

    /// The target user of a change, if they are on the admin's team.
    func teammate(_ req: Request, _ user: SessionUser) async throws -> UserModel? {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let target = try await service.user(id), target.partnerID == user.partnerID else { return nil }
        return target
    }

    struct RoleForm: Content { var role: String? }

    func changeRole(req: Request) async throws -> Response {
        guard let user = try await admin(req) else { return try await forbidden(req) }
        guard let target = try await teammate(req, user) else {
            return try await req.notice(.notFound, title: "User not found", message: "There is no such user on your team.", section: "users")
        }
        guard let role = Role(rawValue: try req.content.decode(RoleForm.self).role ?? "") else {
            req.flash("error", "Choose admin, scheduler or viewer.")
            return req.redirect(to: "/users")
        }
        let from = target.role
        guard try await service.apply(.role(role), to: target.id!, partner: user.partnerID) else {
            req.flash("error", "\(target.name) is the last active admin. Make someone else an admin first.")
            return req.redirect(to: "/users")
        }
        try await service.audit.record(AuditEntry(userID: user.id, partnerID: user.partnerID, action: "users.change_role", outcome: "success",
                                                  detail: "\(target.id!.uuidString.lowercased()) \(from) -> \(role.rawValue)"), request: req)
        req.flash("success", "\(target.name) is now \(role.label.lowercased()).")
        return req.redirect(to: "/users")
    }

    func deactivate(req: Request) async throws -> Response {
        guard let user = try await admin(req) else { return try await forbidden(req) }
        guard let target = try await teammate(req, user) else {
            return try await req.notice(.notFound, title: "User not found", message: "There is no such user on your team.", section: "users")
        }
        guard try await service.apply(.deactivate, to: target.id!, partner: user.partnerID) else {
            req.flash("error", "\(target.name) is the last active admin and cannot be deactivated.")
            return req.redirect(to: "/users")
        }
        try await service.audit.record(AuditEntry(userID: user.id, partnerID: user.partnerID, action: "users.deactivate", outcome: "success",
                                                  detail: target.id!.uuidString.lowercased()), request: req)
        req.flash("success", "\(target.name) was deactivated and can no longer sign in.")
        return req.redirect(to: "/users")
    }
}
