import Fluent
import Foundation

/// One disclosure through the FHIR API (or a refusal of one): who asked, for which partner, what was shown. Ids
/// only, never names.
final class AuditEventModel: Model, @unchecked Sendable {
    static let schema = "audit_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date
    @Field(key: "client_id") var clientID: String
    @OptionalField(key: "partner_id") var partnerID: UUID?
    @Field(key: "action") var action: String
    @Field(key: "resource_type") var resourceType: String
    /// The id a read asked for (nil for a search).
    @OptionalField(key: "resource_id") var resourceID: String?
    @Field(key: "outcome") var outcome: String
    /// Space-separated ids.
    @Field(key: "patient_ids") var patientIDs: String
    @Field(key: "care_request_ids") var careRequestIDs: String
    @Field(key: "request_id") var requestID: String

    init() {}

    init(_ event: AuditEvent, at: Date) {
        self.id = UUID()
        self.at = at
        self.clientID = event.clientID
        self.partnerID = event.partner?.rawValue
        self.action = event.action.rawValue
        self.resourceType = event.resourceType
        self.resourceID = event.resourceID
        self.outcome = event.outcome.rawValue
        self.patientIDs = event.patients.map(\.wire).joined(separator: " ")
        self.careRequestIDs = event.careRequests.map(\.wire).joined(separator: " ")
        self.requestID = event.requestID
    }
}
