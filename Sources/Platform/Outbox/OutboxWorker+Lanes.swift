import Foundation
import Logging

extension OutboxWorker {
    /// Delivers what is due while the service is served, never waiting for one delivery before claiming the next:
    /// see ``work(every:)``.
    package func repeatingWork(every interval: Duration = .milliseconds(100)) -> RepeatingWork {
        RepeatingWork("\(name).outbox", every: interval) { await work(every: interval) }
    }

    /// The background work, until cancelled. It claims the due messages it has room for (up to ``parallel`` in
    /// flight, at most ``perDestination`` of one destination) in one statement and attempts each on its own. An
    /// attempt's record is written in the next claim's transaction, or in a group with others (``OutboxRecorder``),
    /// whichever comes first; until then its message stays claimed, and the next of its key waits. It claims again
    /// as soon as an attempt ends, and every `interval` in any case (then also recording the backlog and pruning
    /// when due). No claim waits for a delivery, so a destination whose deliveries hang holds up only its own
    /// messages, never the others'.
    func work(every interval: Duration) async {
        let logger = Logger(label: "\(name).outbox")
        let (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        await withDiscardingTaskGroup { group in
            group.addTask {
                while !Task.isCancelled {
                    wake.yield()
                    try? await Task.sleep(for: BackgroundPace.pause(interval))
                }
            }
            let clock = ContinuousClock()
            var lastPass: ContinuousClock.Instant?
            for await _ in wakeups {
                do {
                    if lastPass.map({ clock.now - $0 >= interval }) ?? true {
                        lastPass = clock.now
                        try await recordBacklog()
                        try await pruneIfDue()
                    }
                    var more = true
                    while more {
                        let next = try await claimNext()
                        for message in next.claimed {
                            group.addTask {
                                let outcome = await deliver(message)
                                do {
                                    try await recorder.record(outcome) {
                                        lanes.release(message)
                                        wake.yield()
                                    } write: {
                                        try await record($0)
                                    }
                                } catch {
                                    logger.warning("outbox attempt not recorded", metadata: ["error": "\(error)"])
                                }
                            }
                        }
                        more = next.more
                    }
                } catch {
                    logger.warning("outbox pass failed", metadata: ["error": "\(error)"])
                }
            }
            group.cancelAll()
        }
    }

    /// The oldest due messages there is room for (not in flight here, their destination under ``perDestination``),
    /// taken and claimed in one statement; `more` when the due list was full and room is left, so that more may be
    /// due at once (the list's first messages were of a destination that is full now).
    ///
    /// The attempts that ended meanwhile are recorded first in the same transaction (one turn of the write gate),
    /// so the next message of a key just delivered is among those claimed.
    func claimNext() async throws -> (claimed: [OutboxMessage], more: Bool) {
        let records = recorder.takeWaiting()
        if records.isEmpty, try await !anythingDue() { return ([], false) }
        let outcomes = records.map(\.0)
        let taken = TakenMessages()
        do {
            let next = try await database.write { db in
                for message in taken.reset() { lanes.release(message) }
                try await write(outcomes, on: db)
                let busy = lanes.busy(cap: perDestination)
                let room = Self.parallel - busy.messages.count
                let limit = max(room, perDestination)
                guard room > 0 else { return (claimed: [OutboxMessage](), more: false) }
                let due = try await due(
                    limit: limit, excluding: busy.fullDestinations, skipping: busy.messages, on: db)
                for message in due where taken.count < room && lanes.take(message, cap: perDestination) {
                    taken.append(message)
                }
                let claimed = try await claim(taken.all, on: db)
                return (claimed: claimed, more: due.count == limit && taken.count < room)
            }
            recorder.finish(records)
            counted(outcomes)
            let claimed = Set(next.claimed.map(\.id))
            for message in taken.all where !claimed.contains(message.id) { lanes.release(message) }
            return next
        } catch {
            recorder.finish(records, error: error)
            for message in taken.reset() { lanes.release(message) }
            throw error
        }
    }
}

extension OutboxWorker {
    /// Whether a message this worker has room for is due, read outside any transaction: the idle background work
    /// asks only this, and takes no turn of the write gate.
    fileprivate func anythingDue() async throws -> Bool {
        let busy = lanes.busy(cap: perDestination)
        guard busy.messages.count < Self.parallel else { return false }
        return try await !due(limit: 1, excluding: busy.fullDestinations, skipping: busy.messages).isEmpty
    }
}

/// The messages one claim took, kept apart so that a transaction tried again first gives them back.
private final class TakenMessages: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [OutboxMessage] = []

    var all: [OutboxMessage] { lock.withLock { messages } }
    var count: Int { lock.withLock { messages.count } }
    func append(_ message: OutboxMessage) { lock.withLock { messages.append(message) } }

    /// The messages taken so far, which are forgotten.
    func reset() -> [OutboxMessage] {
        lock.withLock {
            defer { messages = [] }
            return messages
        }
    }
}
