import ExpressDomain
import Fluent
import Foundation
import Vocabulary

extension AuditLog {
    /// Audit events as JSON lines, oldest first: since a time, and about one care request (an id in any case).
    func export(since: Date?, careRequest: String?, write: (String) -> Void) async throws {
        let query = AuditEventModel.query(on: db).sort(\.$at)
        if let since { query.filter(\.$at >= since) }
        if let careRequest {
            query.filter(\.$careRequestIDs, .contains(inverse: false, .anywhere), AuditEntry.idPattern(careRequest))
        }
        let formatter = ISO8601DateFormatter()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for event in try await query.all() {
            write(String(decoding: try encoder.encode(ExportedAuditEvent(event, formatter: formatter)), as: UTF8.self))
        }
    }
}

/// One line of `selfsched audit export`; an absent user, partner or detail is written as null.
private struct ExportedAuditEvent: Encodable {
    var at: String
    var userID: UserID?
    var partnerID: PartnerID?
    var action: String
    var careRequestIDs: [String]
    var patientIDs: [String]
    var requestID: String
    var clientAddress: String
    var outcome: String
    var detail: String?

    init(_ event: AuditEventModel, formatter: ISO8601DateFormatter) {
        at = formatter.string(from: event.at)
        userID = event.userID.map(UserID.init(rawValue:))
        partnerID = event.partnerID.map(PartnerID.init(rawValue:))
        action = event.action
        careRequestIDs = event.careRequestIDs.split(separator: " ").map(String.init)
        patientIDs = event.patientIDs.split(separator: " ").map(String.init)
        requestID = event.requestID
        clientAddress = event.clientAddress
        outcome = event.outcome
        detail = event.detail
    }

    enum CodingKeys: String, CodingKey {
        case at, action, outcome, detail
        case userID = "user_id"
        case partnerID = "partner_id"
        case careRequestIDs = "care_request_ids"
        case patientIDs = "patient_ids"
        case requestID = "request_id"
        case clientAddress = "client_address"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(at, forKey: .at)
        try container.encode(userID?.wire, forKey: .userID)
        try container.encode(partnerID?.wire, forKey: .partnerID)
        try container.encode(action, forKey: .action)
        try container.encode(careRequestIDs, forKey: .careRequestIDs)
        try container.encode(patientIDs, forKey: .patientIDs)
        try container.encode(requestID, forKey: .requestID)
        try container.encode(clientAddress, forKey: .clientAddress)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(detail, forKey: .detail)
    }
}
