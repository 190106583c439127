import Fluent
import Foundation

/// One of Identity's signing keys: its private key's PEM sealed with the ``SealingKey`` (bound to the kid), when it
/// was made, and when a rotation retired it (nil for the one active key).
final class SigningKeyModel: Model, @unchecked Sendable {
    static let schema = "signing_keys"

    @ID(custom: "kid", generatedBy: .user) var id: String?
    @Field(key: "sealed_key") var sealedKey: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "retired_at") var retiredAt: Date?

    init() {}

    init(kid: String, sealedKey: String, createdAt: Date, retiredAt: Date?) {
        self.id = kid
        self.sealedKey = sealedKey
        self.createdAt = createdAt
        self.retiredAt = retiredAt
    }
}
