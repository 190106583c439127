import Fluent

struct M002_CreateDrafts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DraftModel.schema)
            .id()
            .field("audience", .string, .required)
            .field("owner", .string, .required)
            .field("partner_id", .uuid)
            .field("answers", .json, .required)
            .field("status", .string, .required)
            .field("care_request_id", .uuid)
            .field("return_url", .string)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema(DraftModel.schema).delete() }
}
