import ExpressDomain
import Fluent
import Foundation
import Vocabulary

/// Express's users and their sign-in accounts at the identity provider, linked by the account id Express keeps.
extension ExpressService {
    /// The identity provider's account id of `user`: the stored one or, for a user from before Express kept it,
    /// the one found by email (then stored, so it is looked up once). Nil when it has no account for the email.
    func accountID(of user: UserModel) async throws -> String? {
        if let id = user.accountID { return id }
        guard let found = try await accounts.lookUp(email: user.email) else { return nil }
        try await store(accountID: found.id, of: user)
        return found.id
    }

    /// The identity provider's accounts of `users`, by user id (a user it has no account for is left out); nil
    /// when it cannot be reached.
    func identityAccounts(of users: [UserModel]) async throws -> [UserID: IdentityAccount]? {
        do {
            let linked = users.filter { $0.accountID != nil }
            let listed = try await accounts.accounts(linked.compactMap(\.accountID))
            let byID = Dictionary(listed.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            var found: [UserID: IdentityAccount] = [:]
            for user in linked { found[user.userID] = user.accountID.flatMap { byID[$0] } }
            for user in users where user.accountID == nil {
                guard let account = try await accounts.lookUp(email: user.email) else { continue }
                try await store(accountID: account.id, of: user)
                found[user.userID] = account
            }
            return found
        } catch is ServiceUnavailable {
            return nil
        }
    }

    private func store(accountID: String, of user: UserModel) async throws {
        let id = user.userID.rawValue
        try await write { db in
            try await UserModel.query(on: db).filter(\.$id == id).filter(\.$accountID == nil)
                .set(\.$accountID, to: accountID).update()
        }
        user.accountID = accountID
    }
}
