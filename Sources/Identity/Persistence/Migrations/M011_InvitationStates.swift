import Fluent

/// STUB (issue 16, invitations owner: password_setups.opened_at, sent_at).
struct M011_InvitationStates: AsyncMigration {
    func prepare(on database: any Database) async throws {}
    func revert(on database: any Database) async throws {}
}
