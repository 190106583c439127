import Fluent

/// Marks synthetic-monitoring users (the smoke check's): their care requests are synthetic in Station and their
/// page views are not analytics.
struct M008_AddSyntheticUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserModel.schema).field("synthetic", .bool, .required, .sql(.default(false))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserModel.schema).deleteField("synthetic").update()
    }
}
