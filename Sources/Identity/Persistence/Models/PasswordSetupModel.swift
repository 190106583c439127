import Fluent
import Foundation

/// A one-time link for a new account's owner to choose a password, stored only as its hash.
final class PasswordSetupModel: Model, @unchecked Sendable {
    static let schema = "password_setups"

    @ID(custom: "token_hash", generatedBy: .user) var id: String?
    @Field(key: "account_id") var accountID: UUID
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}
}
