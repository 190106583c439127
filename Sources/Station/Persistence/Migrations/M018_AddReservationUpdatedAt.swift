import Fluent

/// When each window's reservation row last changed (a booking, a release, a new number of places), so that the
/// published availability can say which slots changed since a time (`$bulk-publish?_since=`).
struct M018_AddReservationUpdatedAt: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TimeWindowReservationModel.schema).field("updated_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TimeWindowReservationModel.schema).deleteField("updated_at").update()
    }
}
