import Fluent

/// Station's own audit of its configuration: one row per administration change, written in its transaction.
struct M015_CreateAdminChanges: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AdminChangeModel.schema)
            .id()
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("entity_id", .string, .required)
            .field("at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AdminChangeModel.schema).delete()
    }
}
