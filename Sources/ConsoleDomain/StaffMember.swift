import Vocabulary

/// A member of the provider's care team as their tokens describe them: who, what they do, where.
package struct StaffMember: Sendable, Equatable {
    /// The staff tenant's subject.
    package var id: String
    package var email: String
    package var name: String
    package var roles: Set<StaffRole>
    package var markets: MarketAccess

    package init(id: String, email: String, name: String, roles: Set<StaffRole>, markets: MarketAccess) {
        self.id = id
        self.email = email
        self.name = name
        self.roles = roles
        self.markets = markets
    }

    package func holds(_ role: StaffRole) -> Bool { roles.contains(role) }
}
