import Fluent

struct M005_CreateRevokedTokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RevokedTokenModel.schema)
            .field("jti", .string, .identifier(auto: false))
            .field("expires_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RevokedTokenModel.schema).delete()
    }
}
