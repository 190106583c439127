import Fluent
import Foundation
import Platform
import SQLKit

/// Moves the callbacks OSS's own `outbox` table had not delivered (pending or given up) into the Platform outbox
/// (destination "express", the same webhook id, ordered per care request, their original creation time), then
/// drops `outbox`: nothing reads it any more, and delivered callbacks need no second delivery. A moved callback
/// is due at once; Express ignores one it already recorded.
struct MoveCallbackOutbox: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let rows = try await database.sql.raw(
            "SELECT webhook_id, payload, created_at FROM outbox WHERE delivered_at IS NULL ORDER BY created_at"
        ).all()
        for row in rows {
            let payload = Data(try row.decode(column: "payload", as: String.self).utf8)
            let careRequest = try? CareRequestCallback(outboxPayload: payload).careRequest.wire
            try await Outbox.enqueue(
                NewOutboxMessage(
                    destination: OSSOutbox.express, messageID: try row.decode(column: "webhook_id", as: String.self),
                    orderingKey: careRequest, payload: payload),
                at: try row.decode(column: "created_at", as: Date.self), on: database)
        }
        try await database.schema(M003_CreateOutbox.schema).delete()
    }

    /// Brings back the empty table (the moved callbacks stay in the Platform outbox).
    func revert(on database: any Database) async throws {
        try await M003_CreateOutbox().prepare(on: database)
    }
}
