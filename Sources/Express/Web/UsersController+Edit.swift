import ExpressDomain
import Foundation
import Platform
import Vapor
import Vocabulary

/// An admin edits a teammate's name and email (the identity provider's account first).
extension UsersController {
    struct EditContext: Encodable {
        var id: String
        var currentName: String
        var name: String
        var email: String
        var errors: [String: String]
    }

    struct EditForm: Content {
        var name: String?
        var email: String?
    }

    func editForm(req: Request) async throws -> Response {
        guard let user = try await admin(req) else { return try await forbidden(req) }
        guard let target = try await teammate(req, user) else { return try await userNotFound(req) }
        return try await renderEdit(req, target, name: target.name, email: target.email)
    }

    func edit(req: Request) async throws -> Response {
        guard let user = try await admin(req) else { return try await forbidden(req) }
        guard let target = try await teammate(req, user) else { return try await userNotFound(req) }
        let input = try req.content.decode(EditForm.self)
        let name = (input.name ?? "").trimmingCharacters(in: .whitespaces)
        let email = (input.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        var errors: [String: String] = [:]
        if name.isEmpty { errors["name"] = "Enter the person's name." }
        if let problem = try await emailProblem(email, for: user, except: target.userID) { errors["email"] = problem }
        guard errors.isEmpty else {
            return try await renderEdit(req, target, name: name, email: email, errors: errors)
        }
        do {
            _ = try await EditUser(service: service)(req.useCase(user), user: target, name: name, email: email)
        } catch is AccountExists {
            return try await renderEdit(req, target, name: name, email: email, errors: ["email": unusableEmail])
        } catch is ServiceUnavailable {
            return try await renderEdit(
                req, target, name: name, email: email, errors: ["form": Self.identityDown],
                status: .serviceUnavailable)
        } catch TeamRefusal.notOnTeam {
            return try await userNotFound(req)
        } catch TeamRefusal.notAnAdmin {
            return try await forbidden(req)
        }
        req.flash("success", "\(name)'s details were saved.")
        return req.redirect(to: "/users")
    }

    func renderEdit(
        _ req: Request, _ target: UserModel, name: String, email: String, errors: [String: String] = [:],
        status: HTTPResponseStatus? = nil
    ) async throws -> Response {
        try await req.page(
            "user-edit", title: "Edit \(target.name)", section: "users",
            EditContext(id: target.userID.wire, currentName: target.name, name: name, email: email, errors: errors),
            status: status ?? (errors.isEmpty ? .ok : .unprocessableEntity))
    }
}
