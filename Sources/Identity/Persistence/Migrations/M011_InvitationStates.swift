import Fluent
import Foundation
import Platform
import SQLKit

/// An invitation's states (``Invitation``): when its link was sent, first opened, and revoked by a newer one
/// (accepted is `used_at`). One column per statement: SQLite adds a single column per ALTER TABLE. Links made
/// before this migration were all valid for 72 hours, so their sending time is read back from their expiry.
struct M011_InvitationStates: AsyncMigration {
    func prepare(on database: any Database) async throws {
        for column in ["sent_at", "opened_at", "revoked_at"] {
            try await database.schema(PasswordSetupModel.schema).field(.string(column), .datetime).update()
        }
        let sql = database.sql
        for row in try await sql.select().columns("token_hash", "expires_at").from(PasswordSetupModel.schema).all() {
            let expiresAt = try row.decode(column: "expires_at", as: Date.self)
            try await sql.update(PasswordSetupModel.schema)
                .set("sent_at", to: SQLBind(expiresAt.addingTimeInterval(-72 * 3600)))
                .where("token_hash", .equal, SQLBind(try row.decode(column: "token_hash", as: String.self)))
                .run()
        }
    }

    func revert(on database: any Database) async throws {
        for column in ["revoked_at", "opened_at", "sent_at"] {
            try await database.schema(PasswordSetupModel.schema).deleteField(.string(column)).update()
        }
    }
}
