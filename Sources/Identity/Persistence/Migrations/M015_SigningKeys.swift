import Fluent
import Platform
import SQLKit

/// Identity's signing keys, shared by every instance on this database (``SigningKeyStore``); they were files in
/// the data directory before, imported on first start. At most one key is active (not retired): a unique index on
/// the active rows, so two instances starting together, or two rotations at once, cannot both make one.
struct M015_SigningKeys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SigningKeyModel.schema)
            .field("kid", .string, .identifier(auto: false))
            .field("sealed_key", .string, .required)
            .field("created_at", .datetime, .required)
            .field("retired_at", .datetime)
            .create()
        try await database.sql.raw(
            """
            CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys ((retired_at IS NULL)) \
            WHERE retired_at IS NULL
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SigningKeyModel.schema).delete()
    }
}
