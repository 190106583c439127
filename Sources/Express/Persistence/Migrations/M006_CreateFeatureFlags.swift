import Fluent

struct M006_CreateFeatureFlags: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(FeatureFlagModel.schema)
            .id()
            .field("partner_id", .uuid, .required, .references(PartnerModel.schema, .id))
            .field("flag", .string, .required)
            .field("enabled", .bool, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "partner_id", "flag")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema(FeatureFlagModel.schema).delete() }
}
