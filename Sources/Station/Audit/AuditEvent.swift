import Foundation
import Vocabulary

/// What the audit records of one FHIR read or search.
struct AuditEvent: Sendable, Equatable {
    enum Action: String, Sendable {
        case read = "fhir.read"
        case search = "fhir.search"
    }

    enum Outcome: String, Sendable {
        case success
        case notFound = "not_found"
        case denied
    }

    var clientID: String
    var partner: PartnerID?
    var action: Action
    var resourceType: String
    var resourceID: String?
    var outcome: Outcome
    /// Each once, in the order first shown.
    var patients: [PatientID] = []
    var careRequests: [CareRequestID] = []
    var requestID: String
}
