import Fluent

struct M002_CreateMarkets: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MarketModel.schema)
            .id()
            .field("name", .string, .required)
            .field("state", .string, .required)
            .field("time_zone", .string, .required)
            .field("zip_codes", .array(of: .string), .required)
            .field("opens_at", .string, .required)
            .field("closes_at", .string, .required)
            .field("window_minutes", .int, .required)
            .field("capacity_per_window", .int, .required)
            .unique(on: "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MarketModel.schema).delete()
    }
}
