import Fluent
import Foundation
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

    var domain: StatusChange {
        StatusChange(
            from: fromStatus.flatMap(CareRequestStatus.init(rawValue:)),
            to: CareRequestStatus(rawValue: toStatus) ?? .requested,
            actor: actor, reason: reason, changedAt: changedAt)
    }
}
