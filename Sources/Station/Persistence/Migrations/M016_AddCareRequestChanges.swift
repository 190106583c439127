import Fluent
import SQLKit

/// What a requester's reschedule or cancellation records on the request: the calendar SEQUENCE its visit's
/// event carries, and the cancellation's reason, note, time and actor. One column per statement: SQLite adds
/// one at a time.
struct M016_AddCareRequestChanges: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CareRequestModel.schema)
            .field("calendar_sequence", .int, .required, .sql(.default(0))).update()
        try await database.schema(CareRequestModel.schema).field("cancel_reason", .string).update()
        try await database.schema(CareRequestModel.schema).field("cancel_note", .string).update()
        try await database.schema(CareRequestModel.schema).field("cancelled_at", .datetime).update()
        try await database.schema(CareRequestModel.schema).field("cancelled_by", .string).update()
    }

    func revert(on database: any Database) async throws {
        for field in ["cancelled_by", "cancelled_at", "cancel_note", "cancel_reason", "calendar_sequence"] {
            try await database.schema(CareRequestModel.schema).deleteField(.string(field)).update()
        }
    }
}
