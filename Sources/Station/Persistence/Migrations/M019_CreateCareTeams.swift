import Fluent

/// The care teams of each market, which the dispatch planner routes.
struct M019_CreateCareTeams: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CareTeamModel.schema)
            .id()
            .field("market_id", .uuid, .required, .references(MarketModel.schema, .id))
            .field("name", .string, .required)
            .field("base_zip", .string, .required)
            .field("service_lines", .string, .required)
            .field("shifts", .string, .required)
            .unique(on: "market_id", "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CareTeamModel.schema).delete()
    }
}
