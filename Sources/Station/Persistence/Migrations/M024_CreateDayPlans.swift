import Fluent

/// The routes of each market day's plan as a dispatcher last accepted it: the day's proposal follows them (a new
/// booking is added where it fits, a visit running longer moves only the stops after it) until a dispatcher asks
/// for the whole day to be planned again.
struct M024_CreateDayPlans: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(StationStore.dayPlansTable)
            .field("market_id", .uuid, .required)
            .field("plan_date", .string, .required)
            .field("routes", .string, .required)
            .field("accepted_at", .datetime, .required)
            .field("accepted_by", .string, .required)
            .unique(on: "market_id", "plan_date")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StationStore.dayPlansTable).delete()
    }
}
