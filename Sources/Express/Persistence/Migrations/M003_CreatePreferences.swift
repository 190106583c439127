import Fluent

struct M003_CreatePreferences: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PreferencesModel.schema)
            .field("user_id", .uuid, .identifier(auto: false), .references(UserModel.schema, .id))
            .field("display_name", .string)
            .field("time_zone", .string, .required)
            .field("default_market", .string)
            .field("page_size", .int, .required)
            .field("email_notifications", .bool, .required)
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema(PreferencesModel.schema).delete() }
}
