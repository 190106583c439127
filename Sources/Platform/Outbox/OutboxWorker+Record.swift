import Fluent
import Foundation
import SQLKit

extension OutboxWorker {
    /// The pause before the next attempt after `attempts` failed ones: 2^attempts seconds, at most an hour,
    /// times a random 0.8–1.2 so that many messages failing together do not retry together.
    static func backoff(after attempts: Int, jitter: Double = .random(in: 0.8...1.2)) -> TimeInterval {
        min(pow(2, Double(min(attempts, 12))), 3600) * jitter
    }

    /// Records an attempt and its outcome, and releases the claim: delivered, due again after the back-off, or
    /// given up when the message is older than ``giveUpAfter``.
    func record(_ message: OutboxMessage, statusCode: Int?, error: String?, latency: Duration) async throws {
        let at = now()
        let error = error.map { String($0.prefix(500)) }
        let givenUp = error != nil && at.timeIntervalSince(message.createdAt) >= giveUpAfter
        let failed = givenUp ? at : nil
        let next = error == nil || givenUp ? nil : at.addingTimeInterval(Self.backoff(after: message.attempts + 1))
        let milliseconds = Int(latency / .milliseconds(1))
        try await database.write { db in
            try await db.sql.raw(
                """
                UPDATE outbox_messages SET attempts = attempts + 1, claimed_until = NULL,
                delivered_at = \(bind: error == nil ? at : nil), failed_at = \(bind: failed),
                next_attempt_at = \(bind: next), last_error = \(bind: error)
                WHERE id = \(bind: message.id)
                """
            ).run()
            try await db.sql.insert(into: OutboxTable.attempts)
                .columns(
                    "id", "message", "message_id", "destination", "at", "status_code", "latency_ms", "error",
                    "next_attempt_at"
                )
                .values(
                    SQLBind(UUID()), SQLBind(message.id), SQLBind(message.messageID), SQLBind(message.destination),
                    SQLBind(at), SQLBind(statusCode), SQLBind(milliseconds), SQLBind(error), SQLBind(next)
                )
                .run()
        }
        if error == nil { ServiceMetrics.count("outbox_delivered_total", [("service", name)]) }
    }

    /// `outbox_pending` and `outbox_oldest_pending_seconds` for this service.
    func recordBacklog() async throws {
        let row = try await database.db.sql.raw(
            "SELECT COUNT(*) AS pending, MIN(created_at) AS oldest FROM outbox_messages WHERE \(OutboxSQL.pending)"
        ).first()
        let pending = try row?.decode(column: "pending", as: Int.self) ?? 0
        let oldest = try row?.decode(column: "oldest", as: Date?.self)
        ServiceMetrics.gauge("outbox_pending", [("service", name)], Double(pending))
        ServiceMetrics.gauge(
            "outbox_oldest_pending_seconds", [("service", name)], oldest.map { now().timeIntervalSince($0) } ?? 0)
    }
}
