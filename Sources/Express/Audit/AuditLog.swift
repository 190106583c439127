import ExpressDomain
import Fluent
import Foundation
import Platform
import Vocabulary

/// The one audit writer, for pages, the partner API, the internal API and the command line alike: what was done
/// (``AuditEntry``) and where it came from (``AuditContext``). A PHI response is sent only after its event is
/// stored: if the write fails, `record` throws and the data is not served.
struct AuditLog: Sendable {
    let database: ServiceDatabase
    var db: any Database { database.db }
    let now: @Sendable () -> Date

    /// Stores the event on its own, returning once it is committed. Events recorded at the same moment (many
    /// pages served at once) share one commit instead of one each.
    func record(_ entry: AuditEntry, _ context: AuditContext) async throws {
        let row = event(entry, context)
        try await database.append(
            AppendedRow(
                into: AuditEventModel.schema,
                [
                    "id": row.id ?? UUID(), "at": row.at, "user_id": row.userID, "partner_id": row.partnerID,
                    "action": row.action, "care_request_ids": row.careRequestIDs, "patient_ids": row.patientIDs,
                    "request_id": row.requestID, "client_address": row.clientAddress, "outcome": row.outcome,
                    "detail": row.detail,
                ]))
    }

    /// Stores the event in the caller's transaction, so that a change and its audit are kept or lost together.
    func record(_ entry: AuditEntry, _ context: AuditContext, on db: any Database) async throws {
        try await event(entry, context).create(on: db)
    }

    private func event(_ entry: AuditEntry, _ context: AuditContext) -> AuditEventModel {
        let row = AuditEventModel()
        row.id = UUID()
        row.at = now()
        row.userID = context.user?.rawValue
        row.partnerID = context.partner?.rawValue
        row.action = entry.action
        row.careRequestIDs = AuditEntry.idList(entry.careRequestIDs)
        row.patientIDs = AuditEntry.idList(entry.patientIDs)
        row.requestID = context.requestID
        row.clientAddress = context.client
        row.outcome = entry.outcome
        row.detail = entry.detail
        return row
    }

    /// Who viewed a care request, newest first.
    func viewers(of careRequest: CareRequestID, partner: PartnerID) async throws -> [AuditEventModel] {
        try await AuditEventModel.query(on: db)
            .filter(\.$partnerID == partner.rawValue)
            .filter(\.$careRequestIDs, .contains(inverse: false, .anywhere), AuditEntry.idPattern(careRequest.wire))
            .sort(\.$at, .descending).limit(50).all()
    }
}
