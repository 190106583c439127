import Fluent

/// STUB (issue 16, second-factor owner: TOTP columns, recovery codes).
struct M013_SecondFactor: AsyncMigration {
    func prepare(on database: any Database) async throws {}
    func revert(on database: any Database) async throws {}
}
