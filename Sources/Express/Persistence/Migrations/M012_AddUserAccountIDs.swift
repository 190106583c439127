import Fluent

/// The identity provider's account id of each user: set when Express makes the account, or found by email the
/// first time the users page needs it (users from before have none).
struct M012_AddUserAccountIDs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserModel.schema).field("account_id", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserModel.schema).deleteField("account_id").update()
    }
}
