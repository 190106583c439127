import ExpressDomain
import Vocabulary

/// An admin gives a teammate another role, never taking away the partner's last active admin; the change and
/// its audit event are stored together.
struct ChangeRole: Sendable {
    let service: ExpressService

    /// The changed user; throws ``TeamRefusal`` when the team rules forbid it.
    func callAsFunction(_ context: UseCaseContext, user target: UserID, to role: PartnerRole) async throws -> UserModel
    {
        try await service.apply(.role(role), to: target, by: context.user, audit: context.audit) { before in
            AuditEntry(
                action: "users.change_role", outcome: "success",
                detail: "\(target.wire) \(before.role) -> \(role.rawValue)")
        }
    }
}
