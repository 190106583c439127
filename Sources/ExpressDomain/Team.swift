import Vocabulary

/// A partner user as the team rules see them.
package struct TeamMember: Sendable, Equatable {
    package var id: UserID
    package var role: PartnerRole
    package var active: Bool

    package init(id: UserID, role: PartnerRole, active: Bool) {
        self.id = id
        self.role = role
        self.active = active
    }

    var isActiveAdmin: Bool { active && role == .admin }
}

/// A change an admin makes to a teammate.
package enum TeamChange: Sendable, Equatable {
    case deactivate
    case reactivate
    case role(PartnerRole)
    /// A new name and email (the identity provider's account changes first).
    case details(name: String, email: String)
}

/// Why a change to a teammate is refused.
package enum TeamRefusal: Error, Equatable {
    /// Only an admin of the same partner manages its users.
    case notAnAdmin
    /// The user is not on this partner's team (unknown and another partner's users look alike).
    case notOnTeam
    /// The change would leave the partner without an active admin.
    case lastAdmin
}

/// A partner's users and the rules for changing them.
package struct Team: Sendable, Equatable {
    package var partner: PartnerID
    package var members: [TeamMember]

    package init(partner: PartnerID, members: [TeamMember]) {
        self.partner = partner
        self.members = members
    }

    /// Whether `user` may manage a team's users: add them, edit and reactivate them, change their roles, deactivate them.
    package static func mayManage(_ user: ActingUser) -> Bool { user.role.canManageUsers }

    /// The team after `actor` applies `change` to `target`, or why they may not. An admin may change anyone on
    /// their own partner's team, themselves included, as long as an active admin remains.
    package func applying(_ change: TeamChange, to target: UserID, by actor: ActingUser) throws(TeamRefusal) -> Team {
        guard Self.mayManage(actor), actor.partner == partner else { throw .notAnAdmin }
        guard let index = members.firstIndex(where: { $0.id == target }) else { throw .notOnTeam }
        var after = self
        switch change {
        case .deactivate: after.members[index].active = false
        case .reactivate: after.members[index].active = true
        case .role(let role): after.members[index].role = role
        case .details: break
        }
        if members[index].isActiveAdmin, !after.members.contains(where: \.isActiveAdmin) { throw .lastAdmin }
        return after
    }

    package func member(_ id: UserID) -> TeamMember? { members.first { $0.id == id } }
}
