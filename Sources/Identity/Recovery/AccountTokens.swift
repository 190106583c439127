import Fluent
import Foundation
import Platform
import SQLKit

extension IdentityService {
    static let resetLifetime: TimeInterval = 30 * 60
    static let verifyLifetime: TimeInterval = 24 * 3600

    /// Writes a new one-time token in the caller's transaction and returns it (the only copy: the row keeps its
    /// hash). A new reset link voids the account's older unused ones.
    func issueToken(
        _ purpose: AccountTokenModel.Purpose, account: UUID?, tenant: Tenant, continueQuery: String? = nil,
        on db: any Database
    ) async throws -> String {
        let now = now()
        if purpose == .reset, let account { try await voidResetLinks(of: account, on: db) }
        let token = Secrets.randomToken()
        try await AccountTokenModel(
            hash: Secrets.sha256Hex(token), purpose: purpose, account: account, tenant: tenant,
            continueQuery: continueQuery, at: now,
            lifetime: purpose == .reset ? Self.resetLifetime : Self.verifyLifetime
        ).create(on: db)
        return token
    }

    /// Ends the account's unused reset links in the caller's transaction.
    func voidResetLinks(of account: UUID, on db: any Database) async throws {
        let now = now()
        // A second in the past: a stored time may read back a hair later than it was written.
        try await AccountTokenModel.query(on: db)
            .filter(\.$accountID == account).filter(\.$purpose == AccountTokenModel.Purpose.reset.rawValue)
            .filter(\.$usedAt == nil).filter(\.$expiresAt > now)
            .set(\.$expiresAt, to: now.addingTimeInterval(-1)).update()
    }

    /// The unused, unexpired token of `purpose` for an account of `tenant`, with that account.
    func validToken(_ token: String, _ purpose: AccountTokenModel.Purpose, tenant: Tenant) async throws
        -> (AccountTokenModel, AccountModel)?
    {
        guard !token.isEmpty,
            let row = try await AccountTokenModel.find(Secrets.sha256Hex(token), on: db),
            row.purpose == purpose.rawValue, row.tenant == tenant.rawValue, row.usedAt == nil,
            row.expiresAt > now(), let accountID = row.accountID,
            let account = try await AccountModel.find(accountID, on: db)
        else { return nil }
        return (row, account)
    }

    /// Marks the token used in the caller's transaction; false when another request used it first.
    func spend(_ row: AccountTokenModel, on db: any Database) async throws -> Bool {
        try await !db.sql.update(AccountTokenModel.schema)
            .set("used_at", to: SQLBind(now()))
            .where("token_hash", .equal, SQLBind(row.id!))
            .where("used_at", .is, SQLLiteral.null)
            .returning("token_hash").all().isEmpty
    }
}
