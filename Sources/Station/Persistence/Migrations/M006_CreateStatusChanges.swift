import Fluent
import SQLKit

struct M006_CreateStatusChanges: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(StatusChangeModel.schema)
            .id()
            .field("care_request_id", .uuid, .required, .references(CareRequestModel.schema, .id))
            .field("from_status", .string)
            .field("to_status", .string, .required)
            .field("actor", .string, .required)
            .field("reason", .string)
            .field("changed_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "status_changes_care_request_idx").on(StatusChangeModel.schema)
            .column("care_request_id").column("changed_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StatusChangeModel.schema).delete()
    }
}
