import Fluent

struct M006_CreatePasswordSetups: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PasswordSetupModel.schema)
            .field("token_hash", .string, .identifier(auto: false))
            .field("account_id", .uuid, .required, .references(AccountModel.schema, .id))
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PasswordSetupModel.schema).delete()
    }
}
