import Fluent
import Foundation
import SQLKit
import Vocabulary

/// The `live_events` table: every event this service received, for a reconnecting page's replay
/// (`Last-Event-ID`) and for the ``LiveEventRelay`` of the other instances. Rows are kept for an hour.
package struct LiveEventStore: Sendable {
    package let database: ServiceDatabase

    package init(database: ServiceDatabase) { self.database = database }

    /// Records `event` inside the caller's transaction (the receipt of the event); an id recorded before is kept.
    package static func record(_ event: LiveEvent, receivedAt: Date, on db: any Database) async throws {
        // SQL text with binds: every push writes one, and a builder quotes and escapes each column name anew.
        try await db.sql.raw(
            """
            INSERT INTO live_events (id, topic, care_request_id, created, received_at) \
            VALUES (\(bind: event.id), \(bind: event.topic), \(bind: event.careRequest.rawValue), \
            \(bind: event.created), \(bind: receivedAt)) ON CONFLICT (id) DO NOTHING
            """
        ).run()
    }

    /// The events of `topic` after `id`, in id order, for a page resuming from the last one it saw.
    package func events(topic: String, after id: Int64, limit: Int = 500) async throws -> [LiveEvent] {
        var query = LiveEventModel.query(on: database.db).filter(\.$id > id)
        if topic != LiveEventHub.allTopics { query = query.filter(\.$topic == topic) }
        return try await query.sort(\.$id).limit(limit).all().map(\.event)
    }

    /// The newest event id of `topic`, if any.
    package func latestID(topic: String) async throws -> Int64? {
        try await LiveEventModel.query(on: database.db).filter(\.$topic == topic).max(\.$id)
    }

    /// The events received since `date`, in id order (the relay's look-back).
    package func events(receivedSince date: Date) async throws -> [LiveEvent] {
        try await LiveEventModel.query(on: database.db).filter(\.$receivedAt >= date).sort(\.$id).all().map(\.event)
    }

    /// Deletes the events received before `date`; returns how many.
    @discardableResult
    package func prune(before date: Date) async throws -> Int {
        let old = LiveEventModel.query(on: database.db).filter(\.$receivedAt < date)
        let count = try await old.count()
        guard count > 0 else { return 0 }
        try await database.write { db in try await LiveEventModel.query(on: db).filter(\.$receivedAt < date).delete() }
        return count
    }
}

final class LiveEventModel: Model, @unchecked Sendable {
    static let schema = "live_events"

    @ID(custom: "id", generatedBy: .user) var id: Int64?
    @Field(key: "topic") var topic: String
    @Field(key: "care_request_id") var careRequestID: UUID
    @Field(key: "received_at") var receivedAt: Date
    /// Whether the event created the item (nil in rows stored before the column existed: a change).
    @OptionalField(key: "created") var created: Bool?

    init() {}

    var event: LiveEvent {
        LiveEvent(
            id: id ?? 0, topic: topic, careRequest: CareRequestID(rawValue: careRequestID), created: created ?? false)
    }
}

/// The `live_events` table; a service with live pages registers it with its migrations.
package struct CreateLiveEvents: AsyncMigration {
    package init() {}

    package func prepare(on database: any Database) async throws {
        try await database.schema(LiveEventModel.schema)
            .field("id", .int64, .identifier(auto: false))
            .field("topic", .string, .required)
            .field("care_request_id", .uuid, .required)
            .field("received_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "live_events_received_at").on(LiveEventModel.schema)
            .column("received_at").run()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(LiveEventModel.schema).delete()
    }
}

/// The `live_events.created` column: whether an event created its item (a list adds a new row for it).
package struct AddLiveEventCreated: AsyncMigration {
    package init() {}

    package func prepare(on database: any Database) async throws {
        try await database.schema(LiveEventModel.schema).field("created", .bool).update()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(LiveEventModel.schema).deleteField("created").update()
    }
}
