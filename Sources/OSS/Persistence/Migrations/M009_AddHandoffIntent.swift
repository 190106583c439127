import Fluent

/// A handoff says what it is for (a new care request, or a reschedule or cancellation of one) and, for a change,
/// which care request.
struct M009_AddHandoffIntent: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(HandoffModel.schema)
            .field("intent", .string, .required, .sql(.default("new")))
            .update()
        try await database.schema(HandoffModel.schema).field("care_request_id", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(HandoffModel.schema).deleteField("care_request_id").update()
        try await database.schema(HandoffModel.schema).deleteField("intent").update()
    }
}
