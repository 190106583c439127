import ExpressDomain
import Vocabulary

/// An admin has a teammate's invitation emailed again, as a new link (the identity provider voids the earlier
/// ones), audited. Throws ``InvitationAccepted`` once the teammate chose a password, ``UnknownAccount`` when the
/// identity provider has no account for them, ``ServiceUnavailable`` when it cannot be reached, ``TeamRefusal``
/// when the team rules forbid it.
struct ReissueInvitation: Sendable {
    let service: ExpressService

    func callAsFunction(_ context: UseCaseContext, user target: UserModel) async throws -> Invitation {
        guard Team.mayManage(context.user), target.partner == context.user.partner else {
            throw TeamRefusal.notAnAdmin
        }
        guard let account = try await service.accountID(of: target) else { throw UnknownAccount() }
        let issued = try await service.accounts.reissueInvitation(account: account)
        try await service.audit.record(
            AuditEntry(action: "users.invitation", outcome: "success", detail: "\(target.userID.wire) reissued"),
            context.audit)
        return issued.invitation
    }
}
