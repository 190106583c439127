import ExpressDomain
import Vocabulary

/// An admin deactivates a teammate, who can no longer sign in (sessions reload the user on every request); never
/// the partner's last active admin. The change and its audit event are stored together.
struct DeactivateUser: Sendable {
    let service: ExpressService

    /// The deactivated user; throws ``TeamRefusal`` when the team rules forbid it.
    func callAsFunction(_ context: UseCaseContext, user target: UserID) async throws -> UserModel {
        try await service.apply(.deactivate, to: target, by: context.user, audit: context.audit) { _ in
            AuditEntry(action: "users.deactivate", outcome: "success", detail: target.wire)
        }
    }
}
