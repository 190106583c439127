import Fluent

struct M008_CreateEmailOptOuts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(EmailOptOutModel.schema)
            .id()
            .field("account", .string, .required)
            .field("kind", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "account", "kind")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema(EmailOptOutModel.schema).delete() }
}
