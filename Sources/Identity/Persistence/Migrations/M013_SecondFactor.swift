import Fluent

/// The second factor: an account's TOTP secret (sealed with Identity's TOTP key, ``TOTPSecretBox``), when it was
/// turned on, the last time step accepted (replay protection) and its unused recovery codes' hashes; and the
/// sign-ins waiting for their second step (``SecondFactorChallengeModel``). One column per statement: SQLite adds a
/// single column per ALTER TABLE.
struct M013_SecondFactor: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccountModel.schema).field("totp_secret", .string).update()
        try await database.schema(AccountModel.schema).field("totp_enrolled_at", .datetime).update()
        try await database.schema(AccountModel.schema).field("totp_last_step", .int64).update()
        try await database.schema(AccountModel.schema).field("recovery_codes", .string).update()
        try await database.schema(SecondFactorChallengeModel.schema)
            .field("id_hash", .string, .identifier(auto: false))
            .field("tenant", .string, .required)
            .field("account_id", .uuid, .required, .references(AccountModel.schema, .id, onDelete: .cascade))
            .field("request", .string)
            .field("pending_secret", .string)
            .field("verified_at", .datetime)
            .field("expires_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SecondFactorChallengeModel.schema).delete()
        for field in ["recovery_codes", "totp_last_step", "totp_enrolled_at", "totp_secret"] {
            try await database.schema(AccountModel.schema).deleteField(.string(field)).update()
        }
    }
}
