import Fluent
import SQLKit

/// The outbox's tables, for every service that uses it to add to its own migrations.
package enum OutboxMigrations {
    package static let all: [any Migration] = [CreateOutboxMessages(), CreateOutboxAttempts(), AddOutboxClaimID()]
}

/// `outbox_messages`: one row per message. `sequence` (increasing on both databases) is the order of enqueue;
/// `next_attempt_at` is empty until the first failure (due at once); `claimed_until` marks the worker delivering it.
struct CreateOutboxMessages: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxTable.messages)
            .field("sequence", .int64, .identifier(auto: true))
            .field("id", .uuid, .required)
            .field("destination", .string, .required)
            .field("message_id", .string, .required)
            .field("ordering_key", .string)
            .field("payload", .data, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime)
            .field("claimed_until", .datetime)
            .field("delivered_at", .datetime)
            .field("failed_at", .datetime)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .unique(on: "id")
            .unique(on: "destination", "message_id")
            .create()
        try await database.sql.create(index: "outbox_messages_due_idx").on(OutboxTable.messages)
            .column("delivered_at").column("failed_at").column("next_attempt_at").run()
        try await database.sql.create(index: "outbox_messages_order_idx").on(OutboxTable.messages)
            .column("destination").column("ordering_key").column("sequence").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxTable.messages).delete()
    }
}

/// `outbox_messages.claim_id`: the token of the claim that holds a message (set with `claimed_until`), so that a
/// worker whose claim ran out and was taken over cannot record its late failure over the new holder's claim.
struct AddOutboxClaimID: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxTable.messages).field("claim_id", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxTable.messages).deleteField("claim_id").update()
    }
}

/// `outbox_attempts`: every attempt at delivering a message, for delivery logs.
struct CreateOutboxAttempts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxTable.attempts)
            .id()
            .field("message", .uuid, .required)
            .field("message_id", .string, .required)
            .field("destination", .string, .required)
            .field("at", .datetime, .required)
            .field("status_code", .int)
            .field("latency_ms", .int, .required)
            .field("error", .string)
            .field("next_attempt_at", .datetime)
            .create()
        try await database.sql.create(index: "outbox_attempts_destination_idx").on(OutboxTable.attempts)
            .column("destination").column("at").run()
        try await database.sql.create(index: "outbox_attempts_message_idx").on(OutboxTable.attempts)
            .column("message").column("at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxTable.attempts).delete()
    }
}
