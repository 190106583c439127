import Fluent

struct M007_CreateTimeWindowReservations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TimeWindowReservationModel.schema)
            .id()
            .field("market_id", .uuid, .required, .references(MarketModel.schema, .id))
            .field("window_start", .datetime, .required)
            .field("window_end", .datetime, .required)
            .field("capacity", .int, .required)
            .field("booked", .int, .required)
            .unique(on: "market_id", "window_start")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TimeWindowReservationModel.schema).delete()
    }
}
