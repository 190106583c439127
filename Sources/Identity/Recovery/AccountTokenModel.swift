import Fluent
import Foundation

/// A one-time link sent by email, stored only as the SHA-256 of its token.
final class AccountTokenModel: Model, @unchecked Sendable {
    static let schema = "account_tokens"

    enum Purpose: String, Sendable {
        /// "Forgot password?": 30 minutes, once.
        case reset
        /// A sign-up's "confirm your email": 24 hours, once.
        case verify
    }

    @ID(custom: "token_hash", generatedBy: .user) var id: String?
    @Field(key: "purpose") var purpose: String
    /// Nil for a reset asked for an address without an account: the row is written all the same, so that both
    /// answers cost the same work.
    @OptionalField(key: "account_id") var accountID: UUID?
    @Field(key: "tenant") var tenant: String
    /// For a sign-up's confirmation: the authorization request (as a query) it started from, to continue there.
    @OptionalField(key: "continue_query") var continueQuery: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}

    init(
        hash: String, purpose: Purpose, account: UUID?, tenant: Tenant, continueQuery: String?, at: Date,
        lifetime: TimeInterval
    ) {
        self.id = hash
        self.purpose = purpose.rawValue
        self.accountID = account
        self.tenant = tenant.rawValue
        self.continueQuery = continueQuery
        self.createdAt = at
        self.expiresAt = at.addingTimeInterval(lifetime)
    }
}
