import Fluent
import Foundation
import SQLKit
import StationDomain
import Vocabulary

final class StatusChangeModel: Model, @unchecked Sendable {
    static let schema = "care_request_status_changes"

    @ID(key: .id) var id: UUID?
    @Field(key: "care_request_id") var careRequestID: UUID
    @OptionalField(key: "from_status") var fromStatus: String?
    @Field(key: "to_status") var toStatus: String
    @Field(key: "actor") var actor: String
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "changed_at") var changedAt: Date

    init() {}

    init(careRequestID: UUID, from: CareRequestStatus?, to: CareRequestStatus, actor: String, reason: String?, at: Date)
    {
        self.id = UUID()
        self.careRequestID = careRequestID
        self.fromStatus = from?.rawValue
        self.toStatus = to.rawValue
        self.actor = actor
        self.reason = reason
        self.changedAt = at
    }

    /// Writes the change in the caller's transaction as SQL text with binds: Fluent's `create` reflects over every
    /// property, and a builder quotes and escapes every column name each time.
    func insert(on db: any Database) async throws {
        try await db.sql.raw(
            """
            INSERT INTO care_request_status_changes (id, care_request_id, from_status, to_status, actor, reason, \
            changed_at) VALUES (\(bind: id ?? UUID()), \(bind: careRequestID), \(bind: fromStatus), \
            \(bind: toStatus), \(bind: actor), \(bind: reason), \(bind: changedAt))
            """
        ).run()
    }

    var domain: StatusChange {
        StatusChange(
            from: fromStatus.flatMap(CareRequestStatus.init(rawValue:)),
            to: CareRequestStatus(rawValue: toStatus) ?? .requested,
            actor: actor, reason: reason, changedAt: changedAt)
    }
}
