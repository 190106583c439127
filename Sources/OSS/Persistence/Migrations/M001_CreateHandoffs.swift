import Fluent

struct M001_CreateHandoffs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(HandoffModel.schema)
            .field("handle_hash", .string, .identifier(auto: false))
            .field("fingerprint", .string, .required)
            .field("partner_id", .uuid, .required)
            .field("user_id", .string, .required)
            .field("patient_id", .uuid)
            .field("return_url", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("redeemed_at", .datetime)
            .field("draft_id", .uuid)
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema(HandoffModel.schema).delete() }
}
