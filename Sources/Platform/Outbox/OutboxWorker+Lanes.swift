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
                    try? await Task.sleep(for: interval)
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
    func claimNext() async throws -> (claimed: [OutboxMessage], more: Bool) {
        let busy = lanes.busy(cap: perDestination)
        let room = Self.parallel - busy.messages.count
        let limit = max(room, perDestination)
        let due =
            room > 0 ? try await due(limit: limit, excluding: busy.fullDestinations, skipping: busy.messages) : []
        var chosen: [OutboxMessage] = []
        for message in due where chosen.count < room && lanes.take(message, cap: perDestination) {
            chosen.append(message)
        }
        let taken = chosen
        // The attempts that ended meanwhile are recorded in the claim's transaction: one turn of the write gate.
        let records = recorder.takeWaiting()
        guard !taken.isEmpty || !records.isEmpty else { return ([], false) }
        let outcomes = records.map(\.0)
        do {
            let claimed = try await database.write { db in
                try await write(outcomes, on: db)
                return try await claim(taken, on: db)
            }
            recorder.finish(records)
            counted(outcomes)
            for message in taken where !claimed.contains(message) { lanes.release(message) }
            return (claimed, due.count == limit && taken.count < room)
        } catch {
            recorder.finish(records, error: error)
            for message in taken { lanes.release(message) }
            throw error
        }
    }
}
