import Fluent
import Foundation

/// One caller's `Idempotency-Key`: claimed while its request runs, then holding the response to replay.
final class IdempotencyKeyModel: Model, @unchecked Sendable {
    static let schema = "idempotency_keys"

    @ID(key: .id) var id: UUID?
    @Field(key: "caller") var caller: String
    @Field(key: "key") var key: String
    @Field(key: "request_hash") var requestHash: String
    /// `in_progress` or `completed`.
    @Field(key: "state") var state: String
    @OptionalField(key: "care_request_id") var careRequestID: UUID?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
