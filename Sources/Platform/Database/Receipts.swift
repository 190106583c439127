import Fluent
import Foundation
import SQLKit

/// Pushes a service acts on once: each delivery's `webhook-id` is recorded in the receiver's receipts table
/// (columns `webhook_id`, its key, and `received_at`) in the transaction that acts on it. The statements are SQL
/// text with binds: they run for every push, and a builder quotes and escapes each column name anew.
package enum Receipts {
    /// Records `webhookID` in `table` inside the caller's transaction; false when it was recorded before. One
    /// statement whose key decides: of two deliveries of the same push racing each other, one acts.
    package static func claim(_ webhookID: String, in table: String, at: Date, on db: any Database) async throws
        -> Bool
    {
        try await !db.sql.raw(
            """
            INSERT INTO \(ident: table) (webhook_id, received_at) VALUES (\(bind: webhookID), \(bind: at)) \
            ON CONFLICT (webhook_id) DO NOTHING RETURNING webhook_id
            """
        ).all().isEmpty
    }

    /// Whether `webhookID` is recorded in `table`: a repeat answered before any work outside the transaction.
    package static func seen(_ webhookID: String, in table: String, on db: any Database) async throws -> Bool {
        try await db.sql.raw("SELECT 1 FROM \(ident: table) WHERE webhook_id = \(bind: webhookID)").first() != nil
    }
}
