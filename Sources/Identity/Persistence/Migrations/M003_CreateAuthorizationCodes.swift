import Fluent

struct M003_CreateAuthorizationCodes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuthorizationCodeModel.schema)
            .field("code_hash", .string, .identifier(auto: false))
            .field("tenant", .string, .required)
            .field("client_id", .string, .required)
            .field("account_id", .uuid, .required, .references(AccountModel.schema, .id))
            .field("redirect_uri", .string, .required)
            .field("code_challenge", .string, .required)
            .field("nonce", .string)
            .field("scope", .string, .required)
            .field("claims", .json)
            .field("auth_time", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .field("token_ids", .array(of: .string), .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuthorizationCodeModel.schema).delete()
    }
}
