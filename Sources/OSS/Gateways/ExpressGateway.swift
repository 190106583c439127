import Foundation
import Vocabulary

/// What OSS asks of and tells Express: whether a partner user is still active, and that a care request was made.
package protocol ExpressGateway: Sendable {
    /// Express's current word on the partner user signed in with `email`. Throws when Express cannot be asked.
    func standing(ofUserWithEmail email: String) async throws -> PartnerUserStanding
    /// Delivers one callback (signed, with a constant `webhookID`); throws unless Express accepted it.
    func deliver(_ callback: CareRequestCallback, webhookID: String, at timestamp: Date) async throws
}

package enum PartnerUserStanding: Equatable, Sendable {
    /// Active, with who Express says they are now.
    case active(user: UserID, partner: PartnerID, roles: [PartnerRole])
    /// Deactivated or unknown to Express.
    case inactive
    /// Express answered something else: no verdict.
    case unknown
}

/// Tells Express that a care request was created for one of its users.
package struct CareRequestCallback: Equatable, Sendable {
    package var careRequest: CareRequestID
    package var partner: PartnerID
    package var user: UserID

    package init(careRequest: CareRequestID, partner: PartnerID, user: UserID) {
        self.careRequest = careRequest
        self.partner = partner
        self.user = user
    }
}
