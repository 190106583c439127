import Fluent

/// The markets a partner may book in. Partners made before this (every existing one) keep every market:
/// `all_markets` defaults to true; a partner created by an operations admin lists its markets in `partner_markets`.
struct M012_AddPartnerMarkets: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PartnerModel.schema)
            .field("all_markets", .bool, .required, .sql(.default(true)))
            .update()
        try await database.schema(PartnerMarketModel.schema)
            .id()
            .field("partner_id", .uuid, .required, .references(PartnerModel.schema, .id))
            .field("market_id", .uuid, .required, .references(MarketModel.schema, .id))
            .unique(on: "partner_id", "market_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PartnerMarketModel.schema).delete()
        try await database.schema(PartnerModel.schema).deleteField("all_markets").update()
    }
}
