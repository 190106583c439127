import Fluent
import SQLKit

/// One-time links sent by email (password resets, sign-up verifications), stored only as hashes, and the time an
/// account's email was confirmed. Accounts that exist already count as confirmed since their creation.
struct M012_AccountTokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccountTokenModel.schema)
            .field("token_hash", .string, .identifier(auto: false))
            .field("purpose", .string, .required)
            .field("account_id", .uuid, .references(AccountModel.schema, .id, onDelete: .cascade))
            .field("tenant", .string, .required)
            .field("continue_query", .string)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .create()
        try await database.schema(AccountModel.schema).field("email_verified_at", .datetime).update()
        try await database.sql.update(AccountModel.schema)
            .set("email_verified_at", to: SQLIdentifier("created_at")).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountModel.schema).deleteField("email_verified_at").update()
        try await database.schema(AccountTokenModel.schema).delete()
    }
}
