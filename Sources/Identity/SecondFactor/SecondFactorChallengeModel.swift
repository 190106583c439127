import Fluent
import Foundation

/// A sign-in (or a visit to the security page) waiting for its second step, for ten minutes: the browser holds
/// the random id in a cookie, the row its hash, the account, the authorization request to finish and, during
/// enrolment, the new secret (sealed) until a code from it proves the app has it.
final class SecondFactorChallengeModel: Model, @unchecked Sendable {
    static let schema = "second_factor_challenges"

    @ID(custom: "id_hash", generatedBy: .user) var id: String?
    @Field(key: "tenant") var tenant: String
    @Field(key: "account_id") var accountID: UUID
    /// The authorization request as JSON; nil when the security page, not a sign-in, started it.
    @OptionalField(key: "request") var request: String?
    @OptionalField(key: "pending_secret") var pendingSecret: String?
    /// Set when the second step passed and only the recovery codes page's Continue is left.
    @OptionalField(key: "verified_at") var verifiedAt: Date?
    @Field(key: "expires_at") var expiresAt: Date

    init() {}
}
