import Fluent
import SQLKit

struct M005_CreateAuditEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEventModel.schema)
            .id()
            .field("at", .datetime, .required)
            .field("user_id", .uuid)
            .field("partner_id", .uuid)
            .field("action", .string, .required)
            .field("care_request_ids", .string, .required)
            .field("patient_ids", .string, .required)
            .field("request_id", .string, .required)
            .field("client_address", .string, .required)
            .field("outcome", .string, .required)
            .field("detail", .string)
            .create()
        try await (database as! any SQLDatabase).create(index: "audit_events_partner_at_idx")
            .on(AuditEventModel.schema).column("partner_id").column("at").run()
    }

    func revert(on database: any Database) async throws { try await database.schema(AuditEventModel.schema).delete() }
}
