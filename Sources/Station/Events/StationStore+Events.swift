import Fluent
import Foundation
import Platform
import SQLKit
import StationDomain
import Vocabulary

extension StationStore {
    /// Any constant of Station's own: the key of the PostgreSQL advisory lock that orders the event log.
    static let eventLogLock: Int64 = 0x5354_4556_454E_5453

    /// Writes `events` to the log and queues each for every subscriber (one outbox message per subscriber,
    /// delivered in order per care request), inside the transaction of the change they describe. Call it last in that
    /// transaction: on PostgreSQL it first takes the event log's lock, held until commit, so ids are handed out
    /// in commit order and a follower of `after=` never passes an id whose row commits later. (SQLite's writers
    /// are one at a time already, through the write gate.)
    @discardableResult
    func publish(_ events: [NewCareRequestEvent], on db: any Database) async throws -> [CareRequestEvent] {
        guard !events.isEmpty else { return [] }
        guard !db.isSQLite else { return try await publishOnSQLite(events, on: db) }
        // Every change of Station waits for this lock, from here until its commit: so what remains is two round
        // trips, the lock with the events' ids, then each event with its outbox messages in one statement.
        let ids = try await db.sql.raw(
            """
            SELECT nextval(pg_get_serial_sequence('care_request_events', 'id')) AS id \
            FROM (SELECT \(Self.advisoryLockCall(Self.eventLogLock))) AS locked, \
            generate_series(1, \(literal: events.count))
            """
        ).all().map { try $0.decode(column: "id", as: Int64.self) }.sorted()
        guard ids.count == events.count else { throw EventNotNumbered() }
        var published: [CareRequestEvent] = []
        for (new, id) in zip(events, ids) {
            let event = new.numbered(id)
            let messages = try outboxMessages(for: event)
            let insert = Self.insert(new, id: id)
            try await db.sql.raw(
                messages.isEmpty ? insert : "WITH event AS (\(insert)) \(Outbox.insert(messages, at: event.at))"
            ).run()
            published.append(event)
        }
        return published
    }

    /// ``publish(_:on:)`` on SQLite, whose database numbers each event as it is inserted.
    private func publishOnSQLite(_ events: [NewCareRequestEvent], on db: any Database) async throws
        -> [CareRequestEvent]
    {
        var published: [CareRequestEvent] = []
        for new in events {
            let inserted = try await db.sql.raw("\(Self.insert(new, id: nil)) RETURNING id").first()
            guard let inserted else { throw EventNotNumbered() }
            let event = new.numbered(try inserted.decode(column: "id", as: Int64.self))
            try await Outbox.enqueue(try outboxMessages(for: event), at: event.at, on: db)
            published.append(event)
        }
        return published
    }

    /// The event's row; numbered by the database when `id` is nil.
    private static func insert(_ new: NewCareRequestEvent, id: Int64?) -> SQLQueryString {
        let numbered: SQLQueryString = id.map { "\(bind: $0), " } ?? ""
        return """
            INSERT INTO care_request_events (\(unsafeRaw: id == nil ? "" : "id, ")type, care_request_id, partner_id, \
            old_status, new_status, window_start, window_end, eta_start, eta_end, occurred_at) VALUES (\(numbered)\
            \(bind: new.type.rawValue), \(bind: new.careRequest.rawValue), \(bind: new.partner?.rawValue), \
            \(bind: new.oldStatus?.rawValue), \(bind: new.newStatus.rawValue), \(bind: new.window?.start), \
            \(bind: new.window?.end), \(bind: new.eta?.start), \(bind: new.eta?.end), \(bind: new.at))
            """
    }

    /// One message of `event` for every subscriber, in order per care request.
    private func outboxMessages(for event: CareRequestEvent) throws -> [NewOutboxMessage] {
        let envelope = CareRequestEventEnvelope(event)
        let payload = try CareRequestEvent.encoder.encode(envelope)
        return eventSubscribers.map {
            NewOutboxMessage(
                destination: $0, messageID: envelope.messageID, orderingKey: event.careRequest.wire, payload: payload)
        }
    }

    /// One page of the event log: the events after `after`, in id order.
    func events(after: Int64, limit: Int) async throws -> EventFeed.Page {
        let rows = try await CareRequestEventModel.query(on: db)
            .filter(\.$id > after).sort(\.$id).limit(limit + 1).all()
        return EventFeed.Page(after: after, limit: limit, fetched: try rows.map { try $0.domain() })
    }
}

/// The database wrote an event without handing back its id: a broken database, never the caller's fault.
private struct EventNotNumbered: Error {}
