import Fluent

/// A staff account's roles and markets, space-separated (``StaffAccess``); nil for the other tenants. One column
/// per statement: SQLite adds a single column per ALTER TABLE.
struct M010_AddAccountStaffAccess: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccountModel.schema).field("staff_roles", .string).update()
        try await database.schema(AccountModel.schema).field("staff_markets", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountModel.schema).deleteField("staff_markets").update()
        try await database.schema(AccountModel.schema).deleteField("staff_roles").update()
    }
}
