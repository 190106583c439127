import Fluent
import SQLKit

/// The audit of FHIR disclosures (``AuditLog``): one row per read or search, looked up by partner and time.
struct M017_CreateAuditEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEventModel.schema)
            .id()
            .field("at", .datetime, .required)
            .field("client_id", .string, .required)
            .field("partner_id", .uuid)
            .field("action", .string, .required)
            .field("resource_type", .string, .required)
            .field("resource_id", .string)
            .field("outcome", .string, .required)
            .field("patient_ids", .string, .required)
            .field("care_request_ids", .string, .required)
            .field("request_id", .string, .required)
            .create()
        try await database.sql.create(index: "audit_events_partner_at_idx").on(AuditEventModel.schema)
            .column("partner_id").column("at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditEventModel.schema).delete()
    }
}
