import Fluent

/// How much longer than its service line's visits a visit runs, as a dispatcher marked it (a team running late);
/// the dispatch planner adds it to the visit.
struct M022_AddExtraVisitMinutes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CareRequestModel.schema).field("extra_visit_minutes", .int).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CareRequestModel.schema).deleteField("extra_visit_minutes").update()
    }
}
