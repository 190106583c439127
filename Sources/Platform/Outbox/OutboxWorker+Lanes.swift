import Foundation
import Logging

extension OutboxWorker {
    /// Delivers what is due while the service is served, never waiting for one delivery before claiming the next:
    /// see ``work(every:)``.
    package func repeatingWork(every interval: Duration = .milliseconds(100)) -> RepeatingWork {
        RepeatingWork("\(name).outbox", every: interval) { await work(every: interval) }
    }

    /// The background work, until cancelled. It claims the due messages it has room for (up to ``parallel`` in
    /// flight, at most ``perDestination`` of one destination) in one statement and attempts each on its own,
    /// recording attempts in groups (``OutboxRecorder``). It claims again as soon as an attempt ends, and every
    /// `interval` in any case (then also recording the backlog and pruning when due). No claim waits for a
    /// delivery, so a destination whose deliveries hang holds up only its own messages, never the others'.
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
                                do {
                                    _ = try await attempt(message)
                                } catch {
                                    logger.warning("outbox attempt not recorded", metadata: ["error": "\(error)"])
                                }
                                lanes.release(message)
                                wake.yield()
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
        guard room > 0 else { return ([], false) }
        let limit = max(room, perDestination)
        let due = try await due(limit: limit, excluding: busy.fullDestinations, skipping: busy.messages)
        var taken: [OutboxMessage] = []
        for message in due where taken.count < room && lanes.take(message, cap: perDestination) {
            taken.append(message)
        }
        do {
            let claimed = try await claim(taken)
            for message in taken where !claimed.contains(message) { lanes.release(message) }
            return (claimed, due.count == limit && taken.count < room)
        } catch {
            for message in taken { lanes.release(message) }
            throw error
        }
    }
}
