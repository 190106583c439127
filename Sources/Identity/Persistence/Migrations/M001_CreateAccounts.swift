import Fluent

struct M001_CreateAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccountModel.schema)
            .id()
            .field("tenant", .string, .required)
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("password_hash", .string, .required)
            .field("active", .bool, .required)
            .field("failed_attempts", .int, .required)
            .field("locked_until", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "tenant", "email")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountModel.schema).delete()
    }
}
