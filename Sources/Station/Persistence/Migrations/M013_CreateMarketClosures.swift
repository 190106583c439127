import Fluent

/// Days a market is closed (holidays): no windows are published or booked on them.
struct M013_CreateMarketClosures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MarketClosureModel.schema)
            .id()
            .field("market_id", .uuid, .required, .references(MarketModel.schema, .id))
            .field("date", .string, .required)
            .field("reason", .string, .required)
            .unique(on: "market_id", "date")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MarketClosureModel.schema).delete()
    }
}
