import Foundation

/// Records attempts in groups: an attempt that finishes while a group is being written waits for the next one,
/// which takes every attempt that finished meanwhile, so many attempts share one write transaction (on SQLite,
/// one turn of the write gate) instead of taking one each. Shared by the copies of the worker, which is a value.
final class OutboxRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var waiting: [(OutboxOutcome, CheckedContinuation<Void, any Error>)] = []
    private var writing = false

    /// Returns once `outcome` is written (by `write`, in a group with others), or throws the group's error.
    func record(_ outcome: OutboxOutcome, write: @escaping @Sendable ([OutboxOutcome]) async throws -> Void)
        async throws
    {
        try await withCheckedThrowingContinuation { continuation in
            let starts = lock.withLock {
                waiting.append((outcome, continuation))
                defer { writing = true }
                return !writing
            }
            if starts { Task { await self.drain(write) } }
        }
    }

    /// Writes the waiting outcomes a group at a time until none is left.
    private func drain(_ write: @Sendable ([OutboxOutcome]) async throws -> Void) async {
        while true {
            let group = lock.withLock {
                defer { waiting = [] }
                if waiting.isEmpty { writing = false }
                return waiting
            }
            guard !group.isEmpty else { return }
            do {
                try await write(group.map(\.0))
                for (_, continuation) in group { continuation.resume() }
            } catch {
                for (_, continuation) in group { continuation.resume(throwing: error) }
            }
        }
    }
}

/// One attempt's result, before it is recorded.
struct OutboxOutcome: Sendable {
    var message: OutboxMessage
    var statusCode: Int?
    var error: String?
    var latency: Duration
}
