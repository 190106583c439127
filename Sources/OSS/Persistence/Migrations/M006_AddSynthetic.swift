import Fluent

/// Carries Express's "synthetic monitoring" mark from the handoff to the draft, and so to Station's create.
struct M006_AddSynthetic: AsyncMigration {
    func prepare(on database: any Database) async throws {
        for schema in [HandoffModel.schema, DraftModel.schema] {
            try await database.schema(schema).field("synthetic", .bool, .required, .sql(.default(false))).update()
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [HandoffModel.schema, DraftModel.schema] {
            try await database.schema(schema).deleteField("synthetic").update()
        }
    }
}
