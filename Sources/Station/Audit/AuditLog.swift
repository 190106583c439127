import Fluent
import Foundation
import Platform

/// Station's one audit writer: every FHIR read and search is recorded here before it is answered, so that a
/// failed write answers 500 and shows nothing.
struct AuditLog: Sendable {
    let database: ServiceDatabase
    let now: @Sendable () -> Date

    func record(_ event: AuditEvent) async throws {
        let at = Date(timeIntervalSince1970: (now().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
        let row = AuditEventModel(event, at: at)
        // Returns once committed; FHIR reads at the same moment share the commit (``ServiceDatabase/append(_:)``).
        try await database.append(
            AppendedRow(
                into: AuditEventModel.schema,
                [
                    "id": row.id ?? UUID(), "at": row.at, "client_id": row.clientID, "partner_id": row.partnerID,
                    "action": row.action, "resource_type": row.resourceType, "resource_id": row.resourceID,
                    "outcome": row.outcome, "patient_ids": row.patientIDs, "care_request_ids": row.careRequestIDs,
                    "request_id": row.requestID,
                ]))
    }
}
