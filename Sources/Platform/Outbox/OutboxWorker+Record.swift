import Fluent
import Foundation
import SQLKit

extension OutboxWorker {
    /// The pause before the next attempt after `attempts` failed ones: 2^attempts seconds, at most an hour,
    /// times a random 0.8–1.2 so that many messages failing together do not retry together.
    static func backoff(after attempts: Int, jitter: Double = .random(in: 0.8...1.2)) -> TimeInterval {
        min(pow(2, Double(min(attempts, 12))), 3600) * jitter
    }

    /// Records attempts and their outcomes in one transaction, and releases their claims: see ``write(_:on:)``.
    func record(_ outcomes: [OutboxOutcome]) async throws {
        guard !outcomes.isEmpty else { return }
        try await database.write { db in try await write(outcomes, on: db) }
        counted(outcomes)
    }

    /// Records attempts and their outcomes inside the caller's transaction, and releases their claims: each
    /// message delivered, due again after the back-off, or given up when it is older than ``giveUpAfter``.
    ///
    /// A delivery is always recorded (keeping the first delivery's time): it is a fact, and the receiver drops a
    /// second copy by its message id. A failure is recorded on the message only while the attempt's claim
    /// (``OutboxMessage/claimID``) still holds it, undelivered: a worker whose claim ran out mid-attempt (a stalled instance) may report its failure after
    /// another worker claimed the message again or delivered it, and clearing that claim would let a third worker
    /// send the message alongside it (and out of its key's order), or give it up while its delivery is under way.
    /// Such a late failure is still in `outbox_attempts`, with no next attempt.
    func write(_ outcomes: [OutboxOutcome], on db: any Database) async throws {
        guard !outcomes.isEmpty else { return }
        let at = now()
        var rows: [(outcome: OutboxOutcome, error: String?, next: Date?)] = []
        for outcome in outcomes {
            let error = outcome.error.map { String($0.prefix(500)) }
            let givenUp = error != nil && at.timeIntervalSince(outcome.message.createdAt) >= giveUpAfter
            let next =
                error == nil || givenUp ? nil : at.addingTimeInterval(Self.backoff(after: outcome.message.attempts + 1))
            let recorded = try await update(
                outcome.message, error: error, failed: givenUp ? at : nil, next: next, at: at, on: db)
            rows.append((outcome, error, recorded ? next : nil))
        }
        let insert = db.sql.insert(into: OutboxTable.attempts)
            .columns(
                "id", "message", "message_id", "destination", "at", "status_code", "latency_ms", "error",
                "next_attempt_at"
            )
        for (outcome, error, next) in rows {
            let message = outcome.message
            insert.values(
                SQLBind(UUID()), SQLBind(message.id), SQLBind(message.messageID), SQLBind(message.destination),
                SQLBind(at), SQLBind(outcome.statusCode), SQLBind(Int(outcome.latency / .milliseconds(1))),
                SQLBind(error), SQLBind(next))
        }
        try await insert.run()
    }

    /// Records one outcome on its message (delivered when `error` is nil) and releases its claim; false when a
    /// failure was left out because the attempt's claim no longer holds the message (see ``write(_:on:)``).
    private func update(
        _ message: OutboxMessage, error: String?, failed: Date?, next: Date?, at: Date, on db: any Database
    ) async throws -> Bool {
        let holder: SQLQueryString
        switch (error, message.claimID) {
        case (nil, _): holder = ""
        case (.some, let claim?): holder = " AND claim_id = \(bind: claim) AND delivered_at IS NULL"
        case (.some, nil): return false
        }
        let updated = try await db.sql.raw(
            """
            UPDATE outbox_messages SET attempts = attempts + 1, claimed_until = NULL, claim_id = NULL,
            delivered_at = COALESCE(delivered_at, \(bind: error == nil ? at : nil)), failed_at = \(bind: failed),
            next_attempt_at = \(bind: next), last_error = \(bind: error)
            WHERE id = \(bind: message.id)\(holder) RETURNING id
            """
        ).all()
        return !updated.isEmpty
    }

    /// Counts the delivered ones of `outcomes`, once they are committed.
    func counted(_ outcomes: [OutboxOutcome]) {
        let delivered = outcomes.count { $0.error == nil }
        if delivered > 0 { ServiceMetrics.count("outbox_delivered_total", [("service", name)], by: delivered) }
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
