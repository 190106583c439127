import Fluent

/// The scopes a sign-in client may give its users; clients registered before it get OpenID's own scopes.
struct M007_AddClientAllowedScopes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ClientModel.schema).field("allowed_scopes", .array(of: .string)).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ClientModel.schema).deleteField("allowed_scopes").update()
    }
}
