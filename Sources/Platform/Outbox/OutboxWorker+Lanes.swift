import Foundation
import Logging

extension OutboxWorker {
    /// Delivers what is due while the service is served, never waiting for one delivery before claiming the next:
    /// see ``work(every:)``.
    package func repeatingWork(every interval: Duration = .milliseconds(250)) -> RepeatingWork {
        RepeatingWork("\(name).outbox", every: interval) { await work(every: interval) }
    }

    /// The background work, until cancelled. Every `interval` it records the backlog, prunes when due, and opens
    /// lanes (up to ``parallel``) for due messages. A lane attempts one message after another while one is due for
    /// it, then closes. No pass waits for a lane, and at most ``perDestination`` messages of one destination are in
    /// flight, so a destination whose deliveries hang holds up only its own messages, never the others'.
    func work(every interval: Duration) async {
        let logger = Logger(label: "\(name).outbox")
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                do {
                    try await recordBacklog()
                    try await pruneIfDue()
                    while lanes.openLane(limit: Self.parallel) {
                        guard let first = try await next() else {
                            lanes.closeLane()
                            break
                        }
                        group.addTask { await lane(from: first, logger: logger) }
                    }
                } catch {
                    logger.warning("outbox pass failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One lane (already opened): attempts `first`, then whatever is due next for it, then closes.
    func lane(from first: OutboxMessage, logger: Logger) async {
        var message: OutboxMessage? = first
        while let current = message {
            do {
                _ = try await attempt(current)
            } catch {
                logger.warning("outbox attempt not recorded", metadata: ["error": "\(error)"])
            }
            lanes.release(current)
            message = nil
            if Task.isCancelled { break }
            do {
                message = try await next()
            } catch {
                logger.warning("outbox pass failed", metadata: ["error": "\(error)"])
            }
        }
        lanes.closeLane()
    }

    /// The oldest due message a lane may take (not in flight here, its destination under ``perDestination``),
    /// taken and claimed; nil when there is none.
    func next() async throws -> OutboxMessage? {
        let busy = lanes.busy(cap: perDestination)
        let due = try await due(limit: 20, excluding: busy.fullDestinations, skipping: busy.messages)
        for message in due where lanes.take(message, cap: perDestination) {
            do {
                if try await claim(message.id) { return message }
            } catch {
                lanes.release(message)
                throw error
            }
            lanes.release(message)
        }
        return nil
    }
}
