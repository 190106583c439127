import Fluent

struct M002_CreateClients: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ClientModel.schema)
            .field("client_id", .string, .identifier(auto: false))
            .field("tenant", .string, .required)
            .field("name", .string, .required)
            .field("secret_hash", .string, .required)
            .field("redirect_uris", .array(of: .string), .required)
            .field("post_logout_redirect_uris", .array(of: .string), .required)
            .field("grant_types", .array(of: .string), .required)
            .field("user_audience", .string)
            .field("m2m_grants", .array(of: .string), .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ClientModel.schema).delete()
    }
}
