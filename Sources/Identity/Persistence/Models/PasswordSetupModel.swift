import Fluent
import Foundation
import IdentityDomain

/// A one-time link for an account's owner to choose a password (an invitation), stored only as its hash.
final class PasswordSetupModel: Model, @unchecked Sendable {
    static let schema = "password_setups"

    @ID(custom: "token_hash", generatedBy: .user) var id: String?
    @Field(key: "account_id") var accountID: UUID
    @Field(key: "expires_at") var expiresAt: Date
    /// When a password was chosen through it (the invitation was accepted).
    @OptionalField(key: "used_at") var usedAt: Date?
    @OptionalField(key: "sent_at") var sentAt: Date?
    /// When its page was first shown.
    @OptionalField(key: "opened_at") var openedAt: Date?
    /// When a newer link for the same account replaced it.
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}

    init(tokenHash: String, accountID: UUID, sentAt: Date, expiresAt: Date) {
        self.id = tokenHash
        self.accountID = accountID
        self.sentAt = sentAt
        self.expiresAt = expiresAt
    }

    var invitation: Invitation {
        Invitation(
            sentAt: sentAt, expiresAt: expiresAt, openedAt: openedAt, acceptedAt: usedAt, revokedAt: revokedAt)
    }
}
