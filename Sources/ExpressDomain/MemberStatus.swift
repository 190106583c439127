/// What the users page says of a teammate's account, and what it offers to do about it.
package struct MemberStatus: Sendable, Equatable {
    /// What an admin can do about a teammate's invitation.
    package enum InvitationAction: String, Sendable, Equatable {
        /// The link is still good: email it again (as a new link; the old one stops working).
        case resend
        /// The link lapsed unused: email a new one.
        case renew

        package var label: String {
            switch self {
            case .resend: "Resend invitation"
            case .renew: "Send a new invitation"
            }
        }
    }

    /// The status in words ("Invitation sent", "Active", …).
    package var words: String
    package var invitationAction: InvitationAction?
    package var mayReactivate: Bool

    /// A teammate's status from Express's own `active` and the identity provider's invitation state (nil when the
    /// identity provider could not say: the teammate then reads as Express knows them).
    package init(active: Bool, invitation: InvitationState?) {
        guard active else {
            self.init(words: "Deactivated", invitationAction: nil, mayReactivate: true)
            return
        }
        switch invitation {
        case .sent: self.init(words: "Invitation sent", invitationAction: .resend, mayReactivate: false)
        case .opened: self.init(words: "Invitation opened", invitationAction: .resend, mayReactivate: false)
        case .expired: self.init(words: "Invitation expired", invitationAction: .renew, mayReactivate: false)
        case .accepted, .some(.none), nil: self.init(words: "Active", invitationAction: nil, mayReactivate: false)
        }
    }

    private init(words: String, invitationAction: InvitationAction?, mayReactivate: Bool) {
        self.words = words
        self.invitationAction = invitationAction
        self.mayReactivate = mayReactivate
    }
}
