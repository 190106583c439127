import Foundation
import IdentityDomain
import Vocabulary

/// The claims beyond OpenID's that a signed-in user's tokens carry: for a partner user, what the partner portal
/// says once they have proven their password (the design document's "Auth0 hook" result); for a staff member,
/// their account's roles and markets (``init(staffSubject:access:)``).
package struct HookClaims: Codable, Sendable, Equatable {
    package var userID: String
    /// The partner a partner user acts for; nil for staff.
    package var partnerID: String?
    package var roles: [String]
    /// A staff member's markets (``MarketAccess``'s claim); nil for partner users.
    package var markets: [String]?

    package init(userID: String, partnerID: String?, roles: [String], markets: [String]? = nil) {
        self.userID = userID
        self.partnerID = partnerID
        self.roles = roles
        self.markets = markets
    }

    /// A staff member's claims: their subject as `user_id`, their roles and markets.
    package init(staffSubject: String, access: StaffAccess) {
        self.init(userID: staffSubject, partnerID: nil, roles: access.roleClaim, markets: access.markets.claim)
    }

    /// The staff roles and markets these claims name (nothing for a partner user's).
    var staffAccess: StaffAccess {
        StaffAccess(roles: Set(roles.compactMap(StaffRole.init(rawValue:))), markets: MarketAccess(claim: markets))
    }
}

package enum HookDecision: Sendable, Equatable {
    case allow(HookClaims)
    /// The user may not sign in; the message is shown to them.
    case refuse(String)
}

/// Asks the partner portal who a signed-in email is, for the `express` tenant.
package protocol PostLoginHook: Sendable {
    func claims(forEmail email: String) async throws -> HookDecision
}

/// The hook could not be reached: sign-in must fail closed, with a message saying so.
package struct HookUnavailable: Error {}
