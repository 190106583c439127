import Fluent
import Foundation
import IdentityDomain
import Platform

/// A link just made: its URL (the token is in it and nowhere else) and its stored row.
struct IssuedInvitation: Sendable {
    var url: String
    var invitation: Invitation
}

extension IdentityService {
    /// Each account's newest link (its invitation); accounts with none are left out.
    func newestInvitations(of accounts: [UUID], on db: (any Database)? = nil) async throws -> [UUID: Invitation] {
        guard !accounts.isEmpty else { return [:] }
        let rows = try await PasswordSetupModel.query(on: db ?? self.db).filter(\.$accountID ~~ accounts).all()
        var newest: [UUID: PasswordSetupModel] = [:]
        for row in rows where newest[row.accountID].map({ Self.isNewer(row, than: $0) }) ?? true {
            newest[row.accountID] = row
        }
        return newest.mapValues(\.invitation)
    }

    func newestInvitation(of account: UUID, on db: (any Database)? = nil) async throws -> Invitation? {
        try await newestInvitations(of: [account], on: db)[account]
    }

    /// Issuing a link revokes the older ones, so of links sent at the same instant the one not revoked is newer.
    private static func isNewer(_ row: PasswordSetupModel, than other: PasswordSetupModel) -> Bool {
        (row.sentAt ?? .distantPast, row.expiresAt, row.revokedAt == nil ? 1 : 0)
            > (other.sentAt ?? .distantPast, other.expiresAt, other.revokedAt == nil ? 1 : 0)
    }

    /// Makes a new set-password link for `account`, revokes its older unused ones, and queues `email` with the
    /// link to the account's address, all in the caller's transaction.
    func issueInvitation(
        for account: AccountModel, email: (_ url: String, _ lifetime: String) -> AccountEmail, on db: any Database
    ) async throws -> IssuedInvitation {
        let now = now()
        let token = Secrets.randomToken()
        let setup = PasswordSetupModel(
            tokenHash: Secrets.sha256Hex(token), accountID: try account.requireID(), sentAt: now,
            expiresAt: now.addingTimeInterval(config.invitationLifetime))
        try await PasswordSetupModel.query(on: db).filter(\.$accountID == setup.accountID)
            .filter(\.$usedAt == nil).filter(\.$revokedAt == nil).set(\.$revokedAt, to: now).update()
        try await setup.create(on: db)
        let tenant = Tenant(rawValue: account.tenant) ?? .express
        let url = "\(config.issuer(tenant))/set-password?token=\(token)"
        try await queue(
            email(url, Invitation.lifetimeText(config.invitationLifetime)),
            to: MailAddress(name: account.name, address: account.email), on: db)
        return IssuedInvitation(url: url, invitation: setup.invitation)
    }
}

extension AccountEmail {
    /// The first invitation, when an account is created: who added the owner, to what, and the link.
    static func invitation(
        tenant: Tenant, name: String, invitedBy: String?, organization: String?, url: String, lifetime: String
    ) -> AccountEmail {
        let app = tenant.appName
        let by = invitedBy?.trimmingCharacters(in: .whitespaces).nonEmpty
        let place = organization?.trimmingCharacters(in: .whitespaces).nonEmpty.map { "\(app) for \($0)" } ?? app
        return AccountEmail(
            subject: "You're invited to \(app)", greeting: "Hello \(name),",
            paragraphs: [
                by.map { "\($0) added you to \(place)." } ?? "You have been added to \(place).",
                "Choose a password to start using your account.",
            ],
            action: ("Choose your password", url), footer: "The link works for \(lifetime).")
    }

    /// A new link for an invitation that was not accepted yet (resent by an administrator, or asked for on an
    /// expired link's page).
    static func newInvitationLink(tenant: Tenant, name: String, url: String, lifetime: String) -> AccountEmail {
        AccountEmail(
            subject: "Your new link to \(tenant.appName)", greeting: "Hello \(name),",
            paragraphs: [
                "Here is a new link to choose your password for \(tenant.appName). Earlier links no longer work."
            ],
            action: ("Choose your password", url), footer: "The link works for \(lifetime).")
    }
}

extension Tenant {
    /// The app an account of this tenant signs in to, as its emails name it.
    fileprivate var appName: String {
        switch self {
        case .express: "Express"
        case .patients: "SelfScheduling"
        case .staff: "Console"
        }
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
