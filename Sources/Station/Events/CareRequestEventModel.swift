import Fluent
import Foundation
import StationDomain
import Vocabulary

/// One row of Station's event log; its database-assigned id is the event's id.
final class CareRequestEventModel: Model, @unchecked Sendable {
    static let schema = "care_request_events"

    @ID(custom: "id", generatedBy: .database) var id: Int64?
    @Field(key: "type") var type: String
    @Field(key: "care_request_id") var careRequestID: UUID
    @OptionalField(key: "partner_id") var partnerID: UUID?
    @OptionalField(key: "old_status") var oldStatus: String?
    @Field(key: "new_status") var newStatus: String
    @OptionalField(key: "window_start") var windowStart: Date?
    @OptionalField(key: "window_end") var windowEnd: Date?
    @OptionalField(key: "eta_start") var etaStart: Date?
    @OptionalField(key: "eta_end") var etaEnd: Date?
    @Field(key: "occurred_at") var occurredAt: Date

    init() {}

    /// The stored event as published; a type or status the vocabulary lacks is an error, never a guess.
    func domain() throws -> CareRequestEvent {
        func interval(_ start: Date?, _ end: Date?) -> CareRequestEvent.Interval? {
            guard let start, let end else { return nil }
            return CareRequestEvent.Interval(start: start, end: end)
        }
        return CareRequestEvent(
            id: try requireID(), type: try CareRequestEvent.Kind(mapping: type),
            careRequest: CareRequestID(careRequestID), partner: partnerID.map { PartnerID($0) },
            oldStatus: try oldStatus.map { try CareRequestStatus(mapping: $0) },
            newStatus: try CareRequestStatus(mapping: newStatus),
            window: interval(windowStart, windowEnd), eta: interval(etaStart, etaEnd), at: occurredAt)
    }
}
