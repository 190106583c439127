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
        try await db.sql.insert(into: OutboxTable.messages)
            .columns(
                "id", "destination", "message_id", "ordering_key", "payload", "attempts", "created_at"
            )
            .values(
                SQLBind(UUID()), SQLBind(message.destination), SQLBind(message.messageID),
                SQLBind(message.orderingKey), SQLBind(message.payload), SQLBind(0), SQLBind(now)
            )
            .ignoringConflicts(with: ["destination", "message_id"])
            .run()
    }
}

/// The outbox's table names.
enum OutboxTable {
    static let messages = "outbox_messages"
    static let attempts = "outbox_attempts"
}
