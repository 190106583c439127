import Fluent

struct M004_CreateSSOSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SSOSessionModel.schema)
            .field("id_hash", .string, .identifier(auto: false))
            .field("tenant", .string, .required)
            .field("account_id", .uuid, .required, .references(AccountModel.schema, .id))
            .field("auth_time", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SSOSessionModel.schema).delete()
    }
}
