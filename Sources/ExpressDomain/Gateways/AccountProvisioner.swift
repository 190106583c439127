import Foundation

/// Where a partner user's invitation to choose a password stands at the identity provider.
package enum InvitationState: String, Sendable, Equatable, CaseIterable {
    /// The account was made without one (seeded).
    case none
    /// Emailed, not opened yet.
    case sent
    /// The link's page was shown.
    case opened
    /// A password was chosen through it.
    case accepted
    /// The newest link lapsed (or was replaced) unused.
    case expired
}

/// A partner user's invitation at the identity provider.
package struct Invitation: Sendable, Equatable {
    package var state: InvitationState
    package var sentAt: Date?
    package var expiresAt: Date?

    package init(state: InvitationState, sentAt: Date? = nil, expiresAt: Date? = nil) {
        self.state = state
        self.sentAt = sentAt
        self.expiresAt = expiresAt
    }
}

/// A sign-in account at the identity provider, as Express sees it.
package struct IdentityAccount: Sendable, Equatable {
    /// The identity provider's id of the account (its subject).
    package var id: String
    package var email: String
    package var name: String
    package var active: Bool
    package var invitation: Invitation

    package init(id: String, email: String, name: String, active: Bool, invitation: Invitation) {
        self.id = id
        self.email = email
        self.name = name
        self.active = active
        self.invitation = invitation
    }
}

/// A sign-in account just made at the identity provider, or an invitation just issued again.
package struct ProvisionedAccount: Sendable, Equatable {
    /// The identity provider's id of the account.
    package var accountID: String
    /// The one-time link the new user opens to choose a password (also emailed to them).
    package var setPasswordURL: String
    package var invitation: Invitation

    package init(accountID: String, setPasswordURL: String, invitation: Invitation) {
        self.accountID = accountID
        self.setPasswordURL = setPasswordURL
        self.invitation = invitation
    }
}

/// The identity provider already has a sign-in account for this email.
package struct AccountExists: Error {
    package init() {}
}

/// The identity provider has no account with this id.
package struct UnknownAccount: Error {
    package init() {}
}

/// The owner has chosen a password already: there is no invitation to send again ("Forgot password?" instead).
package struct InvitationAccepted: Error {
    package init() {}
}

/// Partner users' sign-in accounts at the identity provider. Every call throws ``ServiceUnavailable`` when it
/// cannot be reached or refuses.
package protocol AccountProvisioner: Sendable {
    /// Makes the account and emails its owner an invitation naming `organization` and `invitedBy`. Throws
    /// ``AccountExists`` for an email it already knows.
    func createAccount(email: String, name: String, organization: String, invitedBy: String) async throws
        -> ProvisionedAccount
    /// The account with this email, if there is one.
    func lookUp(email: String) async throws -> IdentityAccount?
    /// The accounts with these ids (unknown ids are left out).
    func accounts(_ ids: [String]) async throws -> [IdentityAccount]
    /// Changes what is given; deactivation ends every session of the account at once. Throws ``AccountExists``
    /// when another account has the email, ``UnknownAccount`` for an id it does not know.
    func update(account: String, name: String?, email: String?, active: Bool?) async throws -> IdentityAccount
    /// Emails the owner a new link; every earlier one stops working. Throws ``InvitationAccepted`` once a password
    /// was chosen, ``UnknownAccount`` for an id it does not know.
    func reissueInvitation(account: String) async throws -> ProvisionedAccount
}
