import Fluent
import Platform
import SQLKit

/// Station's event log: one row per create and status change, numbered by the database in commit order.
struct M011_CreateCareRequestEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // An increasing 64-bit id: SQLite's AUTOINCREMENT never hands out an id again, even after a rollback of the
        // highest; PostgreSQL's identity column is a BIGINT sequence.
        let id =
            database.isSQLite
            ? database.schema(CareRequestEventModel.schema)
                .field("id", .custom(SQLRaw("INTEGER")), .custom(SQLRaw("PRIMARY KEY AUTOINCREMENT")))
            : database.schema(CareRequestEventModel.schema).field("id", .int64, .identifier(auto: true))
        try await id
            .field("type", .string, .required)
            .field("care_request_id", .uuid, .required, .references(CareRequestModel.schema, .id))
            .field("partner_id", .uuid)
            .field("old_status", .string)
            .field("new_status", .string, .required)
            .field("window_start", .datetime)
            .field("window_end", .datetime)
            .field("eta_start", .datetime)
            .field("eta_end", .datetime)
            .field("occurred_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CareRequestEventModel.schema).delete()
    }
}
