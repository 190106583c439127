import Fluent

/// Where a sign-in client hears that its user signed out (OpenID Connect Back-Channel Logout 1.0).
struct M009_AddClientBackchannelLogout: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ClientModel.schema).field("backchannel_logout_uri", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ClientModel.schema).deleteField("backchannel_logout_uri").update()
    }
}
