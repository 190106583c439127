import Fluent
import Foundation
import SQLKit

extension OutboxWorker {
    /// How long a delivered message is kept, with its attempts (delivery logs show the recent ones).
    package static let keepDelivered: TimeInterval = 30 * 24 * 3600
    /// How long a given-up message is kept, with its attempts.
    package static let keepGivenUp: TimeInterval = 90 * 24 * 3600
    /// The background work prunes at most this often.
    static let pruneEvery: TimeInterval = 5 * 60
    /// Messages deleted per transaction, so that a pruning never holds the database for long.
    static let pruneBatch = 200
    static let pruneBatchesPerPass = 10

    /// Prunes when the last pruning by this worker is ``pruneEvery`` ago by its clock; returns how many messages went.
    @discardableResult
    func pruneIfDue() async throws -> Int {
        guard lanes.startPruning(at: now(), every: Self.pruneEvery) else { return 0 }
        return try await prune()
    }

    /// Deletes, a batch at a time, the messages delivered more than ``keepDelivered`` ago and those given up more
    /// than ``keepGivenUp`` ago, with their attempts; returns how many messages went.
    @discardableResult
    func prune() async throws -> Int {
        var pruned = 0
        for _ in 0..<Self.pruneBatchesPerPass {
            let batch = try await pruneBatch()
            pruned += batch
            if batch < Self.pruneBatch { break }
        }
        return pruned
    }

    private func pruneBatch() async throws -> Int {
        let now = now()
        let expired: SQLQueryString = """
            ((delivered_at IS NOT NULL AND delivered_at < \(bind: now.addingTimeInterval(-keepDelivered)))
            OR (failed_at IS NOT NULL AND failed_at < \(bind: now.addingTimeInterval(-keepGivenUp))))
            """
        return try await database.write { db in
            let candidates = try await db.sql.raw(
                "SELECT id FROM outbox_messages WHERE \(expired) ORDER BY sequence LIMIT \(literal: Self.pruneBatch)"
            ).all().map { try $0.decode(column: "id", as: UUID.self) }
            guard !candidates.isEmpty else { return 0 }
            // Checked again as it is deleted: a replay in between makes a message pending, and it stays.
            let deleted = try await db.sql.raw(
                "DELETE FROM outbox_messages WHERE id IN (\(binds: candidates)) AND \(expired) RETURNING id"
            ).all().map { try $0.decode(column: "id", as: UUID.self) }
            if !deleted.isEmpty {
                try await db.sql.raw("DELETE FROM \(ident: OutboxTable.attempts) WHERE message IN (\(binds: deleted))")
                    .run()
            }
            return deleted.count
        }
    }
}
