import Fluent

/// EHR backend clients (SMART Backend Services): a client's public keys, its partner, when it was registered
/// and last used and by whom; and the assertion ids each client has used (RFC 7523 §3 replay protection), kept
/// until the assertion expires. One column per statement: SQLite adds a single column per ALTER TABLE.
struct M014_BackendClients: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ClientModel.schema).field("jwks", .string).update()
        try await database.schema(ClientModel.schema).field("partner_id", .uuid).update()
        try await database.schema(ClientModel.schema).field("created_at", .datetime).update()
        try await database.schema(ClientModel.schema).field("last_used_at", .datetime).update()
        try await database.schema(ClientModel.schema).field("registered_by", .string).update()
        try await database.schema(ClientAssertionJTIs.schema)
            .field("client_id", .string, .required)
            .field("jti", .string, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "client_id", "jti")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ClientAssertionJTIs.schema).delete()
        for field in ["registered_by", "last_used_at", "created_at", "partner_id", "jwks"] {
            try await database.schema(ClientModel.schema).deleteField(.string(field)).update()
        }
    }
}
