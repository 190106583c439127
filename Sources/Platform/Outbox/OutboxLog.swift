import Fluent
import Foundation
import SQLKit

/// One attempt at delivering a message, as delivery logs show it.
package struct OutboxAttempt: Sendable, Equatable {
    /// The message's row id (``OutboxMessage/id``).
    package var message: UUID
    package var messageID: String
    package var destination: String
    package var at: Date
    /// The HTTP status, when there was a response.
    package var statusCode: Int?
    package var latency: Duration
    /// Why it failed; nil when delivered.
    package var error: String?
    /// When it is tried again; nil when delivered, given up, or a failure reported after another worker had
    /// taken the message over (which leaves the message to that worker).
    package var nextAttemptAt: Date?

    package var latencyMilliseconds: Int { Int(latency / .milliseconds(1)) }
}

/// A message and where its delivery stands.
package struct OutboxMessageState: Sendable, Equatable {
    package var id: UUID
    package var destination: String
    package var messageID: String
    package var orderingKey: String?
    package var payload: Data
    /// Attempts so far.
    package var attempts: Int
    package var createdAt: Date
    package var deliveredAt: Date?
    /// When it was given up.
    package var failedAt: Date?
    /// When it is tried next: nil when due at once (never tried), delivered or given up.
    package var nextAttemptAt: Date?
    package var lastError: String?

    package enum Status: String, Sendable { case pending, delivered, failed }

    package var status: Status { deliveredAt != nil ? .delivered : failedAt != nil ? .failed : .pending }
}

/// Reading and replaying a service's outbox, for delivery logs, pages and `selfsched outbox`.
package struct OutboxLog: Sendable {
    let database: ServiceDatabase

    package init(database: ServiceDatabase) {
        self.database = database
    }

    /// The newest `limit` messages to `destination` (every destination when nil), newest first.
    package func messages(destination: String?, limit: Int) async throws -> [OutboxMessageState] {
        let filter: SQLQueryString = destination.map { "WHERE destination = \(bind: $0)" } ?? ""
        return try await database.db.sql.raw(
            "SELECT * FROM outbox_messages \(filter) ORDER BY sequence DESC LIMIT \(literal: limit)"
        ).all().map(OutboxMessageState.init(row:))
    }

    /// One message, by its row id.
    package func message(_ id: UUID) async throws -> OutboxMessageState? {
        try await database.db.sql.raw("SELECT * FROM outbox_messages WHERE id = \(bind: id)").first()
            .map(OutboxMessageState.init(row:))
    }

    /// The newest `limit` attempts at delivering to `destination`, newest first.
    package func attempts(destination: String, limit: Int) async throws -> [OutboxAttempt] {
        try await database.db.sql.raw(
            """
            SELECT * FROM outbox_attempts WHERE destination = \(bind: destination)
            ORDER BY at DESC LIMIT \(literal: limit)
            """
        ).all().map(OutboxAttempt.init(row:))
    }

    /// Every attempt at delivering one message, newest first.
    package func attempts(message: UUID) async throws -> [OutboxAttempt] {
        try await database.db.sql.raw("SELECT * FROM outbox_attempts WHERE message = \(bind: message) ORDER BY at DESC")
            .all().map(OutboxAttempt.init(row:))
    }

    /// Makes a message due at once again, even a delivered or given-up one (receivers are idempotent by its
    /// message id). False when there is no such message.
    package func replay(_ id: UUID) async throws -> Bool {
        let replayed = try await database.write { db in
            try await db.sql.raw(
                """
                UPDATE outbox_messages SET delivered_at = NULL, failed_at = NULL, claimed_until = NULL,
                claim_id = NULL, next_attempt_at = NULL WHERE id = \(bind: id) RETURNING id
                """
            ).all()
        }
        return !replayed.isEmpty
    }
}
