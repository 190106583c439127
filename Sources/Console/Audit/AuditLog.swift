import ConsoleDomain
import Fluent
import Foundation
import Platform
import Vocabulary

/// What a staff member did or saw, for Console's `audit_events`. Ids only: never a name, a note or a number.
package struct AuditEntry: Sendable, Equatable {
    /// What happened, `noun.verb` (`triage.queue_viewed`, `care_request.moved`, `partner.created`, `sign_in`).
    package var action: String
    /// `success`, `denied` or `failed`.
    package var outcome: String
    package var careRequests: [CareRequestID]
    package var patients: [PatientID]
    /// Policy's decision id of the access this records, when Policy was asked.
    package var decisionID: String?
    /// Ids or codes only (a market id, a status, a reason code).
    package var detail: String?

    package init(
        _ action: String, outcome: String = "success", careRequests: [CareRequestID] = [], patients: [PatientID] = [],
        decisionID: String? = nil, detail: String? = nil
    ) {
        self.action = action
        self.outcome = outcome
        self.careRequests = careRequests
        self.patients = patients
        self.decisionID = decisionID
        self.detail = detail
    }
}

/// Console's one audit writer. A page that shows PHI records its event first and is not served when the write
/// fails: ``record(_:by:requestID:)`` throws, and the error ends the request.
package struct AuditLog: Sendable {
    let database: ServiceDatabase
    let now: @Sendable () -> Date

    /// Stores the event on its own, returning once it is committed (events recorded at the same moment share one
    /// commit: ``ServiceDatabase/append(_:)``).
    package func record(_ entry: AuditEntry, by staff: StaffMember?, requestID: String) async throws {
        let row = event(entry, staff, requestID)
        try await database.append(
            AppendedRow(
                into: AuditEventModel.schema,
                [
                    "id": row.id ?? UUID(), "at": row.at, "staff_subject": row.staffSubject,
                    "staff_email": row.staffEmail, "action": row.action, "outcome": row.outcome,
                    "care_request_ids": row.careRequestIDs, "patient_ids": row.patientIDs,
                    "decision_id": row.decisionID, "request_id": row.requestID, "detail": row.detail,
                ]))
    }

    /// Stores the event in the caller's transaction, so a change and its audit are kept or lost together.
    package func record(_ entry: AuditEntry, by staff: StaffMember?, requestID: String, on db: any Database)
        async throws
    {
        try await event(entry, staff, requestID).create(on: db)
    }

    private func event(_ entry: AuditEntry, _ staff: StaffMember?, _ requestID: String) -> AuditEventModel {
        let row = AuditEventModel()
        row.id = UUID()
        row.at = now()
        row.staffSubject = staff?.id
        row.staffEmail = staff?.email
        row.action = entry.action
        row.outcome = entry.outcome
        row.careRequestIDs = entry.careRequests.map(\.wire).joined(separator: " ")
        row.patientIDs = entry.patients.map(\.wire).joined(separator: " ")
        row.decisionID = entry.decisionID
        row.requestID = requestID
        row.detail = entry.detail
        return row
    }

    /// The events of `action`, newest first (tests and support).
    package func events(_ action: String, limit: Int = 100) async throws -> [AuditEventModel] {
        try await AuditEventModel.query(on: database.db).filter(\.$action == action).sort(\.$at, .descending)
            .limit(limit).all()
    }
}

/// One row of `audit_events`.
package final class AuditEventModel: Model, @unchecked Sendable {
    package static let schema = "audit_events"

    @ID(key: .id) package var id: UUID?
    @Field(key: "at") package var at: Date
    @OptionalField(key: "staff_subject") package var staffSubject: String?
    @OptionalField(key: "staff_email") package var staffEmail: String?
    @Field(key: "action") package var action: String
    @Field(key: "outcome") package var outcome: String
    /// Space-separated ids.
    @Field(key: "care_request_ids") package var careRequestIDs: String
    @Field(key: "patient_ids") package var patientIDs: String
    @OptionalField(key: "decision_id") package var decisionID: String?
    @Field(key: "request_id") package var requestID: String
    @OptionalField(key: "detail") package var detail: String?

    package init() {}
}
