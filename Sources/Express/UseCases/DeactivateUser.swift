import ExpressDomain
import Vocabulary

/// An admin deactivates a teammate, who can no longer sign in (sessions reload the user on every request); never
/// the partner's last active admin. The change and its audit event are stored together; then the identity
/// provider deactivates the account too, which ends its sessions everywhere (its own, and every app's through
/// back-channel logout). When it cannot be reached, Express's change still stands: OSS asks Express about the
/// user at least once a minute and Express refuses them at sign-in.
struct DeactivateUser: Sendable {
    let service: ExpressService

    struct Deactivated: Sendable {
        var user: UserModel
        /// Whether the identity provider took the deactivation (or has no account for the user).
        var endedEverywhere: Bool
    }

    /// The deactivated user; throws ``TeamRefusal`` when the team rules forbid it.
    func callAsFunction(_ context: UseCaseContext, user target: UserID) async throws -> Deactivated {
        let user = try await service.apply(.deactivate, to: target, by: context.user, audit: context.audit) { _ in
            AuditEntry(action: "users.deactivate", outcome: "success", detail: target.wire)
        }
        let ended: Bool
        do {
            if let account = try await service.accountID(of: user) {
                _ = try await service.accounts.update(account: account, name: nil, email: nil, active: false)
            }
            ended = true
        } catch is UnknownAccount {
            ended = true
        } catch is ServiceUnavailable {
            context.logger.warning("Identity did not take a deactivation", metadata: ["user": "\(target.wire)"])
            ended = false
        }
        try await service.audit.record(
            AuditEntry(
                action: "users.deactivate_sign_in", outcome: ended ? "success" : "identity_unavailable",
                detail: target.wire),
            context.audit)
        return Deactivated(user: user, endedEverywhere: ended)
    }
}
