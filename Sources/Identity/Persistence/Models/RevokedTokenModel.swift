import Fluent
import Foundation

final class RevokedTokenModel: Model, @unchecked Sendable {
    static let schema = "revoked_tokens"

    @ID(custom: "jti", generatedBy: .user) var id: String?
    @Field(key: "expires_at") var expiresAt: Date

    init() {}

    init(jti: String, expiresAt: Date) {
        self.id = jti
        self.expiresAt = expiresAt
    }
}
