import Fluent

struct M008_CreateIdempotencyKeys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(IdempotencyKeyModel.schema)
            .id()
            .field("caller", .string, .required)
            .field("key", .string, .required)
            .field("request_hash", .string, .required)
            .field("state", .string, .required)
            .field("care_request_id", .uuid)
            .field("created_at", .datetime, .required)
            .unique(on: "caller", "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(IdempotencyKeyModel.schema).delete()
    }
}
