import Fluent

/// The daily digests handled: one row per user and local date, so a digest goes out at most once.
struct M011_CreateNotificationDigests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(NotificationDigestModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, .id))
            .field("date", .string, .required)
            .field("events", .int, .required)
            .field("handled_at", .datetime, .required)
            .unique(on: "user_id", "date")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(NotificationDigestModel.schema).delete()
    }
}
