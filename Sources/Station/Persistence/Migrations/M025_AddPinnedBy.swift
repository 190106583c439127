import Fluent

/// Who pinned a visit to its care team (the dispatcher's name, as their token gives it), shown beside the pin.
struct M025_AddPinnedBy: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CareRequestModel.schema).field("pinned_by", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CareRequestModel.schema).deleteField("pinned_by").update()
    }
}
