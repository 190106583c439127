import Fluent
import Foundation

/// A push of Station's events already handled, by its `webhook-id`: a repeat is answered and ignored.
final class StationEventReceiptModel: Model, @unchecked Sendable {
    static let schema = "station_event_receipts"
    @ID(custom: "webhook_id", generatedBy: .user) var id: String?
    @Field(key: "received_at") var receivedAt: Date
    init() {}
}

/// A patient account that asked for no more emails of one kind (see ``EmailUnsubscribe``).
final class EmailOptOutModel: Model, @unchecked Sendable {
    static let schema = "email_opt_outs"
    @ID(key: .id) var id: UUID?
    /// The identity account's subject (the owner of the patient's drafts).
    @Field(key: "account") var account: String
    @Field(key: "kind") var kind: String
    @Field(key: "created_at") var createdAt: Date
    init() {}
}
