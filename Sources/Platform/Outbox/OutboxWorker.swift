import Fluent
import Foundation
import SQLKit

/// Delivers a service's outbox through its routes: the due messages, oldest first, each claimed by one worker at a
/// time (so several instances may run it), strictly in enqueue order within (destination, ordering key), retried
/// with exponential back-off and jitter until acknowledged or, after `giveUpAfter`, given up. Every attempt is
/// recorded in `outbox_attempts`.
package struct OutboxWorker: Sendable {
    /// The service's name, for metrics and logs.
    package let name: String
    let database: ServiceDatabase
    let routes: [OutboxRoute]
    let giveUpAfter: TimeInterval
    /// How long a claim keeps other workers off a message; longer than any route's delivery takes.
    let claimFor: TimeInterval
    /// How long a delivered message, and a given-up one, is kept with its attempts before the worker prunes it.
    let keepDelivered: TimeInterval
    let keepGivenUp: TimeInterval
    /// At most this many of the background work's attempts go to one destination at a time, so a destination
    /// whose deliveries hang holds at most this many of the ``parallel`` lanes.
    let perDestination: Int
    let now: @Sendable () -> Date
    /// The background work's messages in flight and the last pruning, shared by the copies of this worker.
    let lanes = OutboxLanes()
    /// Writes the attempts' records in groups, shared by the copies of this worker.
    let recorder = OutboxRecorder()

    package init(
        name: String, database: ServiceDatabase, routes: [OutboxRoute], giveUpAfter: TimeInterval = 80 * 3600,
        claimFor: TimeInterval = 60, keepDelivered: TimeInterval = OutboxWorker.keepDelivered,
        keepGivenUp: TimeInterval = OutboxWorker.keepGivenUp,
        perDestination: Int = OutboxWorker.defaultPerDestination,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.name = name
        self.database = database
        self.routes = routes
        self.giveUpAfter = giveUpAfter
        self.claimFor = claimFor
        self.keepDelivered = keepDelivered
        self.keepGivenUp = keepGivenUp
        self.perDestination = max(1, min(perDestination, Self.parallel))
        self.now = now
    }

    /// Attempts the messages that are due now (at most `limit`) and waits for them; returns how many were delivered.
    /// For commands and tests: the background work (``repeatingWork(every:)``) never waits for a delivery before
    /// claiming the next.
    ///
    /// The due list holds at most one message per ordering key (a later one waits for its predecessor), so its
    /// messages are claimed together and attempted side by side, up to ``parallel`` at a time, without breaking
    /// any key's order.
    @discardableResult
    package func deliverDue(limit: Int = 50) async throws -> Int {
        try await recordBacklog()
        guard !routes.isEmpty else { return 0 }
        let claimed = try await claim(try await due(limit: limit))
        return try await withThrowingTaskGroup(of: Bool.self) { group in
            var delivered = 0
            for (index, message) in claimed.enumerated() {
                if index >= Self.parallel, try await group.next() == true { delivered += 1 }
                group.addTask { try await attempt(message) }
            }
            for try await success in group where success { delivered += 1 }
            return delivered
        }
    }

    /// Attempts one worker makes at the same time.
    static let parallel = 64

    /// At most this many attempts go to one destination at a time, unless the worker is told otherwise.
    package static let defaultPerDestination = 32

    /// The due messages, oldest first, leaving out `destinations` and the messages `skipping`.
    func due(
        limit: Int, excluding destinations: [String] = [], skipping: [UUID] = [], on db: (any Database)? = nil
    ) async throws -> [OutboxMessage] {
        var left: SQLQueryString = ""
        if !destinations.isEmpty { left = left + " AND destination NOT IN (\(binds: destinations))" }
        if !skipping.isEmpty { left = left + " AND id NOT IN (\(binds: skipping))" }
        let rows = try await (db ?? database.db).sql.raw(
            """
            SELECT id, destination, message_id, ordering_key, payload, attempts, created_at FROM outbox_messages
            WHERE \(OutboxSQL.eligible(at: now())) AND (\(routeFilter))\(left) ORDER BY sequence
            LIMIT \(literal: limit)
            """
        ).all()
        return try rows.map(OutboxMessage.init(row:))
    }

    /// Claims `messages` for ``claimFor`` in one statement; returns those claimed, in the order given, carrying the
    /// claim's token (``OutboxMessage/claimID``). A message another worker holds or delivered, or that is no longer
    /// due, is left out: the condition is checked again in the statement itself, so two workers never both claim
    /// one message.
    func claim(_ messages: [OutboxMessage]) async throws -> [OutboxMessage] {
        guard !messages.isEmpty else { return [] }
        return try await database.write { db in try await claim(messages, on: db) }
    }

    /// ``claim(_:)`` inside the caller's transaction.
    func claim(_ messages: [OutboxMessage], on db: any Database) async throws -> [OutboxMessage] {
        guard !messages.isEmpty else { return [] }
        let now = now()
        let token = UUID()
        let rows = try await db.sql.raw(
            """
            UPDATE outbox_messages SET claimed_until = \(bind: now.addingTimeInterval(claimFor)), claim_id = \(bind: token)
            WHERE id IN (\(binds: messages.map(\.id))) AND \(OutboxSQL.eligible(at: now)) RETURNING id
            """
        ).all()
        let claimed = Set(try rows.map { try $0.decode(column: "id", as: UUID.self) })
        return messages.filter { claimed.contains($0.id) }.map { message in
            var message = message
            message.claimID = token
            return message
        }
    }

    /// One attempt: the route's answer, then its record (written together with other attempts finished meanwhile).
    /// True when delivered.
    func attempt(_ message: OutboxMessage) async throws -> Bool {
        let outcome = await deliver(message)
        try await recorder.record(outcome) { try await record($0) }
        return outcome.error == nil
    }

    /// The route's answer to one attempt, timed.
    func deliver(_ message: OutboxMessage) async -> OutboxOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        var statusCode: Int?
        var error: String?
        do {
            guard let route = routes.route(for: message.destination) else {
                throw OutboxDeliveryError("no route for \(message.destination)")
            }
            statusCode = try await route.deliver(message)
            if let code = statusCode, !(200..<300).contains(code) { error = "answered \(code)" }
        } catch let failure as OutboxDeliveryError {
            (statusCode, error) = (failure.statusCode, failure.description)
        } catch let failure {
            error = "\(failure)"
        }
        return OutboxOutcome(message: message, statusCode: statusCode, error: error, latency: clock.now - started)
    }

    /// The routed destinations, as a condition on `destination`.
    var routeFilter: SQLQueryString {
        routes.map { route -> SQLQueryString in
            route.isPrefix
                ? "substr(destination, 1, \(literal: route.destination.count)) = \(bind: route.destination)"
                : "destination = \(bind: route.destination)"
        }.joined(separator: " OR ")
    }
}

/// The conditions the worker's queries share.
enum OutboxSQL {
    /// Not delivered or given up.
    static let pending: SQLQueryString = "delivered_at IS NULL AND failed_at IS NULL"

    /// Pending, due at `now`, not claimed, and no earlier pending message with the same ordering key.
    static func eligible(at now: Date) -> SQLQueryString {
        """
        \(pending) AND (next_attempt_at IS NULL OR next_attempt_at <= \(bind: now))
        AND (claimed_until IS NULL OR claimed_until < \(bind: now))
        AND (ordering_key IS NULL OR NOT EXISTS (SELECT 1 FROM outbox_messages earlier
            WHERE earlier.destination = outbox_messages.destination
            AND earlier.ordering_key = outbox_messages.ordering_key AND earlier.sequence < outbox_messages.sequence
            AND earlier.delivered_at IS NULL AND earlier.failed_at IS NULL))
        """
    }
}
