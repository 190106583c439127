import Fluent

/// Each market's travel settings for the dispatch planner (road factor, average speed); markets made before have
/// none (the planner uses ``MarketSettings/defaultRoadFactor`` and ``MarketSettings/defaultSpeedMph``).
struct M021_AddMarketTravel: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MarketModel.schema).field("road_factor", .double).update()
        try await database.schema(MarketModel.schema).field("average_speed_mph", .int).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MarketModel.schema).deleteField("average_speed_mph").update()
        try await database.schema(MarketModel.schema).deleteField("road_factor").update()
    }
}
