import ExpressDomain
import Fluent
import Foundation
import Platform
import Vapor
import Vocabulary

/// An admin adds a teammate: the identity provider makes the sign-in account and emails the invitation.
extension UsersController {
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
        if let problem = try await emailProblem(form.email, for: user) { errors["email"] = problem }
        if form.name.isEmpty { errors["name"] = "Enter the person's name." }
        if PartnerRole(rawValue: form.role) == nil { errors["role"] = "Choose admin, scheduler or viewer." }
        guard errors.isEmpty, let role = PartnerRole(rawValue: form.role) else {
            return try await render(req, user, form: form, errors: errors, status: .unprocessableEntity)
        }
        let account: ProvisionedAccount
        do {
            account = try await service.accounts.createAccount(
                email: form.email, name: form.name, organization: user.partnerName, invitedBy: user.name)
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
        model.accountID = account.accountID
        let log = service.audit
        let audit = req.auditContext(user)
        try await service.write { db in
            try await model.create(on: db)
            try await log.record(
                AuditEntry(
                    action: "users.add", outcome: "success", detail: "added \(model.userID.wire) as \(role.rawValue)"),
                audit, on: db)
        }
        req.flash(
            "success",
            "\(form.name) was added as \(role.label.lowercased()). We have emailed them an invitation to choose a password."
        )
        return req.redirect(to: "/users")
    }
}
