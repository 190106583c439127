import ExpressDomain
import Vocabulary

/// An admin reactivates a deactivated teammate: the identity provider's account first (so they can sign in
/// again), then Express's user with its audit event. Throws ``ServiceUnavailable`` (nothing changed) when the
/// identity provider cannot be reached, ``TeamRefusal`` when the team rules forbid it.
struct ReactivateUser: Sendable {
    let service: ExpressService

    func callAsFunction(_ context: UseCaseContext, user target: UserModel) async throws -> UserModel {
        guard Team.mayManage(context.user), target.partner == context.user.partner else {
            throw TeamRefusal.notAnAdmin
        }
        do {
            if let account = try await service.accountID(of: target) {
                _ = try await service.accounts.update(account: account, name: nil, email: nil, active: true)
            }
        } catch is UnknownAccount {}
        let id = target.userID
        return try await service.apply(.reactivate, to: id, by: context.user, audit: context.audit) { _ in
            AuditEntry(action: "users.reactivate", outcome: "success", detail: id.wire)
        }
    }
}
