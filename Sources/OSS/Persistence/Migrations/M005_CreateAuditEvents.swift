import Fluent

struct M005_CreateAuditEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OSSAuditModel.schema)
            .id()
            .field("at", .datetime, .required)
            .field("actor", .string, .required)
            .field("partner_id", .uuid)
            .field("action", .string, .required)
            .field("subject", .string, .required)
            .field("outcome", .string, .required)
            .field("detail", .string)
            .field("request_id", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema(OSSAuditModel.schema).delete() }
}
