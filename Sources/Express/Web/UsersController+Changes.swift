import ExpressDomain
import Foundation
import Platform
import Vapor
import Vocabulary

/// An admin's changes to a teammate, through the use cases that keep the last active admin.
extension UsersController {
    /// The target user of a change, if they are on the admin's team.
    func teammate(_ req: Request, _ user: SessionUser) async throws -> UserModel? {
        guard let id = req.parameters.get("id").flatMap(UserID.init(wire:)),
            let target = try await service.user(id), target.partner == user.partnerID
        else { return nil }
        return target
    }

    func userNotFound(_ req: Request) async throws -> Response {
        try await req.notice(
            .notFound, title: "User not found", message: "There is no such user on your team.", section: "users")
    }

    struct RoleForm: Content { var role: String? }

    func changeRole(req: Request) async throws -> Response {
        guard let user = try await admin(req) else { return try await forbidden(req) }
        guard let target = try await teammate(req, user) else { return try await userNotFound(req) }
        guard let role = PartnerRole(rawValue: try req.content.decode(RoleForm.self).role ?? "") else {
            req.flash("error", "Choose admin, scheduler or viewer.")
            return req.redirect(to: "/users")
        }
        do {
            _ = try await ChangeRole(service: service)(req.useCase(user), user: target.userID, to: role)
        } catch TeamRefusal.lastAdmin {
            req.flash("error", "\(target.name) is the last active admin. Make someone else an admin first.")
            return req.redirect(to: "/users")
        } catch TeamRefusal.notOnTeam {
            return try await userNotFound(req)
        } catch TeamRefusal.notAnAdmin {
            return try await forbidden(req)
        }
        req.flash("success", "\(target.name) is now \(role.label.lowercased()).")
        return req.redirect(to: "/users")
    }

    func deactivate(req: Request) async throws -> Response {
        guard let user = try await admin(req) else { return try await forbidden(req) }
        guard let target = try await teammate(req, user) else { return try await userNotFound(req) }
        do {
            _ = try await DeactivateUser(service: service)(req.useCase(user), user: target.userID)
        } catch TeamRefusal.lastAdmin {
            req.flash("error", "\(target.name) is the last active admin and cannot be deactivated.")
            return req.redirect(to: "/users")
        } catch TeamRefusal.notOnTeam {
            return try await userNotFound(req)
        } catch TeamRefusal.notAnAdmin {
            return try await forbidden(req)
        }
        req.flash("success", "\(target.name) was deactivated and can no longer sign in.")
        return req.redirect(to: "/users")
    }
}
