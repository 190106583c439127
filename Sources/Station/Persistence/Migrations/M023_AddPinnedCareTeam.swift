import Fluent

/// The care team a dispatcher pinned a visit to (moving a stop on the proposed routes): the planner gives the visit
/// to that team only.
struct M023_AddPinnedCareTeam: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CareRequestModel.schema).field("pinned_care_team_id", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CareRequestModel.schema).deleteField("pinned_care_team_id").update()
    }
}
