import Fluent
import Foundation

/// A one-time authorization code, stored only as its hash, with what it was issued for.
final class AuthorizationCodeModel: Model, @unchecked Sendable {
    static let schema = "authorization_codes"

    @ID(custom: "code_hash", generatedBy: .user) var id: String?
    @Field(key: "tenant") var tenant: String
    @Field(key: "client_id") var clientID: String
    @Field(key: "account_id") var accountID: UUID
    @Field(key: "redirect_uri") var redirectURI: String
    @Field(key: "code_challenge") var codeChallenge: String
    @OptionalField(key: "nonce") var nonce: String?
    @Field(key: "scope") var scope: String
    /// Claims from the post-login hook, as JSON.
    @Field(key: "claims") var claims: HookClaims?
    @Field(key: "auth_time") var authTime: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    /// The ids of the tokens issued for this code, revoked if the code is replayed.
    @Field(key: "token_ids") var tokenIDs: [String]

    init() {}
}
