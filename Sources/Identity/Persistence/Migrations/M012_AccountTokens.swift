import Fluent

/// STUB (issue 16, recovery/sign-up owner: account_tokens, accounts.email_verified_at).
struct M012_AccountTokens: AsyncMigration {
    func prepare(on database: any Database) async throws {}
    func revert(on database: any Database) async throws {}
}
