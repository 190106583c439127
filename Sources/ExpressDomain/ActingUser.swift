import Vocabulary

/// The partner user an action is taken for, whether it came from a page or the partner API: what every use case
/// is given instead of a web request.
package struct ActingUser: Sendable, Equatable {
    package var id: UserID
    package var partner: PartnerID
    package var role: PartnerRole
    /// Synthetic monitoring (the smoke check): its handoffs are pushed as synthetic and it is not in analytics.
    package var synthetic: Bool

    package init(id: UserID, partner: PartnerID, role: PartnerRole, synthetic: Bool = false) {
        self.id = id
        self.partner = partner
        self.role = role
        self.synthetic = synthetic
    }
}
