import Fluent
import Foundation
import SQLKit

/// The transactional outbox: a message is added in the same transaction as the change it tells about, so it is
/// sent if and only if the change commits; an ``OutboxWorker`` delivers it afterwards, retrying until it is
/// acknowledged or given up.
package enum Outbox {
    /// Adds a message inside the caller's transaction. A repeat of (destination, messageID) is ignored.
    /// It is due at once (no `next_attempt_at` yet), whatever the worker's clock says; `now` is its `createdAt`.
    ///
    /// Order within (destination, orderingKey) is the order of enqueue (the table's `sequence`); callers that
    /// enqueue for one key from concurrent transactions serialize them themselves (Station's do: they change the
    /// same care request row first).
    package static func enqueue(_ message: NewOutboxMessage, at now: Date = Date(), on db: any Database)
        async throws
    {
        try await enqueue([message], at: now, on: db)
    }

    /// Adds `messages` inside the caller's transaction in one statement, in the order given, as ``enqueue(_:at:on:)``
    /// would one by one: one round trip to the database for every subscriber of an event, not one each.
    package static func enqueue(_ messages: [NewOutboxMessage], at now: Date = Date(), on db: any Database)
        async throws
    {
        guard !messages.isEmpty else { return }
        try await db.sql.raw(insert(messages, at: now)).run()
    }

    /// The statement ``enqueue(_:at:on:)`` runs, for a caller that joins it to its own in one round trip (as the
    /// last part of a PostgreSQL `WITH … INSERT`). `messages` must not be empty.
    package static func insert(_ messages: [NewOutboxMessage], at now: Date) -> SQLQueryString {
        // SQL text with binds: the statement runs for every event, and a builder quotes and escapes each column
        // name anew.
        let rows = messages.map { message -> SQLQueryString in
            """
            (\(bind: UUID()), \(bind: message.destination), \(bind: message.messageID), \
            \(bind: message.orderingKey), \(bind: message.payload), 0, \(bind: now))
            """
        }
        return """
            INSERT INTO outbox_messages (id, destination, message_id, ordering_key, payload, attempts, created_at) \
            VALUES \(rows.joined(separator: ", ")) ON CONFLICT (destination, message_id) DO NOTHING
            """
    }
}

/// The outbox's table names.
enum OutboxTable {
    static let messages = "outbox_messages"
    static let attempts = "outbox_attempts"
}
