import Foundation
import IdentityDomain
import IdentityManagementAPI

extension Components.Schemas.Invitation {
    /// An account's invitation on the wire: its state now and the dates that led there.
    init(_ invitation: Invitation?, now: Date) {
        self.init(
            state: .init(Invitation.state(of: invitation, at: now)), sentAt: invitation?.sentAt,
            expiresAt: invitation?.expiresAt, openedAt: invitation?.openedAt, acceptedAt: invitation?.acceptedAt)
    }
}

extension Components.Schemas.Invitation.StatePayload {
    init(_ state: Invitation.State) {
        switch state {
        case .none: self = .none
        case .sent: self = .sent
        case .opened: self = .opened
        case .accepted: self = .accepted
        case .expired: self = .expired
        }
    }
}

extension Components.Schemas.Account {
    init(_ account: AccountModel, invitation: Invitation?, now: Date) {
        self.init(
            accountId: AccountID(account.id!).wire, email: account.email, name: account.name, active: account.active,
            secondFactor: account.totpEnrolledAt != nil, invitation: .init(invitation, now: now))
    }
}

extension Components.Schemas.CreatedAccount {
    init(account: AccountModel, issued: IssuedInvitation, now: Date) {
        self.init(
            accountId: AccountID(account.id!).wire, setPasswordUrl: issued.url,
            invitation: .init(issued.invitation, now: now))
    }
}
