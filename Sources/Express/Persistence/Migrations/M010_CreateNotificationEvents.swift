import Fluent

/// The partner events Express received, kept a few days for the daily digests.
struct M010_CreateNotificationEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(NotificationEventModel.schema)
            .field("id", .int64, .identifier(auto: false))
            .field("partner_id", .uuid, .required)
            .field("care_request_id", .uuid, .required)
            .field("received_at", .datetime, .required)
            .field("event", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(NotificationEventModel.schema).delete()
    }
}
