import Fluent

/// How long a visit of each service line lasts, which the dispatch planner counts; lines made before have none
/// (the planner counts them at ``ServiceLineSettings/defaultVisitMinutes``).
struct M020_AddServiceLineVisitLength: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ServiceLineModel.schema).field("visit_minutes", .int).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ServiceLineModel.schema).deleteField("visit_minutes").update()
    }
}
