import Fluent
import SQLKit

struct CreateAuditEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEventModel.schema)
            .id()
            .field("at", .datetime, .required)
            .field("staff_subject", .string)
            .field("staff_email", .string)
            .field("action", .string, .required)
            .field("outcome", .string, .required)
            .field("care_request_ids", .string, .required)
            .field("patient_ids", .string, .required)
            .field("decision_id", .string)
            .field("request_id", .string, .required)
            .field("detail", .string)
            .create()
        try await database.sql.create(index: "audit_events_staff_at_idx").on(AuditEventModel.schema)
            .column("staff_subject").column("at").run()
    }

    func revert(on database: any Database) async throws { try await database.schema(AuditEventModel.schema).delete() }
}
