import Fluent
import SQLKit

/// OSS's first callback outbox, moved into the Platform outbox by ``MoveCallbackOutbox``.
struct M003_CreateOutbox: AsyncMigration {
    static let schema = "outbox"

    func prepare(on database: any Database) async throws {
        try await database.schema(Self.schema)
            .id()
            .field("webhook_id", .string, .required)
            .field("payload", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("claimed_until", .datetime)
            .field("delivered_at", .datetime)
            .field("failed_at", .datetime)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .unique(on: "webhook_id")
            .create()
        try await (database as! any SQLDatabase).create(index: "outbox_due_idx").on(Self.schema)
            .column("delivered_at").column("next_attempt_at").run()
    }

    func revert(on database: any Database) async throws { try await database.schema(Self.schema).delete() }
}
