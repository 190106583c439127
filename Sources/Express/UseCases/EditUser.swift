import ExpressDomain
import Vocabulary

/// An admin changes a teammate's name or email: the identity provider's account first (the email is how they
/// sign in), then Express's user with its audit event (the kinds of change and ids only). Throws
/// ``AccountExists`` when another account has the email, ``ServiceUnavailable`` (nothing changed) when the
/// identity provider cannot be reached, ``TeamRefusal`` when the team rules forbid it.
struct EditUser: Sendable {
    let service: ExpressService

    func callAsFunction(_ context: UseCaseContext, user target: UserModel, name: String, email: String) async throws
        -> UserModel
    {
        guard Team.mayManage(context.user), target.partner == context.user.partner else {
            throw TeamRefusal.notAnAdmin
        }
        let newName = name == target.name ? nil : name
        let newEmail = email == target.email ? nil : email
        let kinds = [newName.map { _ in "name" }, newEmail.map { _ in "email" }].compactMap { $0 }
        guard !kinds.isEmpty else { return target }
        do {
            if let account = try await service.accountID(of: target) {
                _ = try await service.accounts.update(account: account, name: newName, email: newEmail, active: nil)
            }
        } catch is UnknownAccount {}
        let id = target.userID
        let detail = "\(id.wire) \(kinds.joined(separator: ","))"
        return try await service.apply(
            .details(name: name, email: email), to: id, by: context.user, audit: context.audit
        ) { _ in
            AuditEntry(action: "users.edit", outcome: "success", detail: detail)
        }
    }
}
