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
        let done: DeactivateUser.Deactivated
        do {
            done = try await DeactivateUser(service: service)(req.useCase(user), user: target.userID)
        } catch TeamRefusal.lastAdmin {
            req.flash("error", "\(target.name) is the last active admin and cannot be deactivated.")
            return req.redirect(to: "/users")
        } catch TeamRefusal.notOnTeam {
            return try await userNotFound(req)
        } catch TeamRefusal.notAnAdmin {
            return try await forbidden(req)
        }
        req.flash(
            "success",
            done.endedEverywhere
                ? "\(target.name) was deactivated, can no longer sign in and was signed out everywhere."
                : "\(target.name) was deactivated and can no longer sign in. The sign-in service did not answer just now, so their open sessions elsewhere end within a minute."
        )
        return req.redirect(to: "/users")
    }

    func reactivate(req: Request) async throws -> Response {
        guard let user = try await admin(req) else { return try await forbidden(req) }
        guard let target = try await teammate(req, user) else { return try await userNotFound(req) }
        guard !target.active else { return req.redirect(to: "/users") }
        do {
            _ = try await ReactivateUser(service: service)(req.useCase(user), user: target)
        } catch TeamRefusal.notOnTeam {
            return try await userNotFound(req)
        } catch TeamRefusal.notAnAdmin {
            return try await forbidden(req)
        } catch is ServiceUnavailable {
            req.flash("error", "\(target.name) was not reactivated. " + Self.identityDown)
            return req.redirect(to: "/users")
        }
        req.flash("success", "\(target.name) was reactivated and can sign in again.")
        return req.redirect(to: "/users")
    }

    func sendInvitation(req: Request) async throws -> Response {
        guard let user = try await admin(req) else { return try await forbidden(req) }
        guard let target = try await teammate(req, user) else { return try await userNotFound(req) }
        guard target.active else {
            req.flash("error", "\(target.name) is deactivated. Reactivate them first.")
            return req.redirect(to: "/users")
        }
        do {
            _ = try await ReissueInvitation(service: service)(req.useCase(user), user: target)
        } catch is InvitationAccepted {
            req.flash(
                "error",
                "\(target.name) has already chosen a password. If they forgot it, they can use “Forgot password?” on the sign-in page."
            )
            return req.redirect(to: "/users")
        } catch is UnknownAccount {
            req.flash("error", "\(target.name) has no sign-in account. Call us at \(service.config.supportPhone).")
            return req.redirect(to: "/users")
        } catch TeamRefusal.notAnAdmin {
            return try await forbidden(req)
        } catch is ServiceUnavailable {
            req.flash("error", "We could not send the invitation just now. Please try again.")
            return req.redirect(to: "/users")
        }
        req.flash("success", "We have emailed \(target.name) a new invitation. Earlier links no longer work.")
        return req.redirect(to: "/users")
    }
}
