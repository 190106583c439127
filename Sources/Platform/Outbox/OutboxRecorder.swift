import Foundation

/// Records attempts in groups: an attempt that finishes while a group is being written waits for the next one,
/// which takes every attempt that finished meanwhile, so many attempts share one write transaction (on SQLite,
/// one turn of the write gate) instead of taking one each. Shared by the copies of the worker, which is a value.
final class OutboxRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var waiting: [(OutboxOutcome, CheckedContinuation<Void, any Error>)] = []
    private var writing = false

    /// Returns once `outcome` is written (by `write`, in a group with others, or by a claim that takes it with
    /// ``takeWaiting()``), or throws its transaction's error. `queued` runs as soon as the outcome waits.
    func record(
        _ outcome: OutboxOutcome, queued: @Sendable () -> Void = {},
        write: @escaping @Sendable ([OutboxOutcome]) async throws -> Void
    ) async throws {
        try await withCheckedThrowingContinuation { continuation in
            let starts = lock.withLock {
                waiting.append((outcome, continuation))
                defer { writing = true }
                return !writing
            }
            queued()
            if starts { Task { await self.drain(write) } }
        }
    }

    /// The outcomes waiting for a group, taken to be written in another transaction; pass them to
    /// ``finish(_:error:)`` once it ends.
    func takeWaiting() -> [(OutboxOutcome, CheckedContinuation<Void, any Error>)] {
        lock.withLock {
            defer { waiting = [] }
            return waiting
        }
    }

    /// Tells the waiters of `taken` that their outcomes are written, or not (`error`).
    func finish(_ taken: [(OutboxOutcome, CheckedContinuation<Void, any Error>)], error: (any Error)? = nil) {
        for (_, continuation) in taken {
            if let error { continuation.resume(throwing: error) } else { continuation.resume() }
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
                finish(group)
            } catch {
                finish(group, error: error)
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
