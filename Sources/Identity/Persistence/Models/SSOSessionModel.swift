import Fluent
import Foundation

/// A signed-in browser at Identity: a second app of the same tenant gets a code without a password.
final class SSOSessionModel: Model, @unchecked Sendable {
    static let schema = "sso_sessions"

    @ID(custom: "id_hash", generatedBy: .user) var id: String?
    @Field(key: "tenant") var tenant: String
    @Field(key: "account_id") var accountID: UUID
    @Field(key: "auth_time") var authTime: Date
    @Field(key: "expires_at") var expiresAt: Date

    init() {}
}
