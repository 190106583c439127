/// Writes rows that each caller waits for, several callers' rows in one transaction (group commit).
///
/// While one transaction is on its way to disk, the rows that arrive meanwhile gather and go together in the
/// next, so a busy service pays one commit (one fsync on SQLite, one round trip and WAL flush on PostgreSQL) for
/// many rows instead of one each. Nothing is weakened: ``submit(_:)`` returns only once the transaction holding the
/// caller's own row has committed, and throws when it did not. An idle service writes each row at once.
package actor GroupCommit<Row: Sendable> {
    private let maxRows: Int
    private let write: @Sendable ([Row]) async throws -> Void
    private var pending: [(row: Row, waiter: CheckedContinuation<Void, any Error>)] = []
    private var writing = false

    /// `write` stores its rows in one transaction; it is called with at most `maxRows` rows at a time.
    package init(maxRows: Int = 64, write: @escaping @Sendable ([Row]) async throws -> Void) {
        self.maxRows = max(1, maxRows)
        self.write = write
    }

    /// Returns once `row` is committed; throws the database's error when it could not be.
    package func submit(_ row: Row) async throws {
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
            pending.append((row, waiter))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(maxRows))
            pending.removeFirst(batch.count)
            do {
                try await write(batch.map(\.row))
                for entry in batch { entry.waiter.resume() }
            } catch  where batch.count > 1 {
                // One row's fault must not fail the others: each is tried alone, and only its own caller is told.
                for entry in batch {
                    do {
                        try await write([entry.row])
                        entry.waiter.resume()
                    } catch {
                        entry.waiter.resume(throwing: error)
                    }
                }
            } catch {
                for entry in batch { entry.waiter.resume(throwing: error) }
            }
        }
        writing = false
    }
}
