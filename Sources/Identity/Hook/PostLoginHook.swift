import Foundation

/// What the partner portal says about a user who has just proven their password: the design document's
/// "Auth0 hook" result, put into the tokens as claims.
package struct HookClaims: Codable, Sendable, Equatable {
    package var userID: String
    package var partnerID: String
    package var roles: [String]

    package init(userID: String, partnerID: String, roles: [String]) {
        self.userID = userID
        self.partnerID = partnerID
        self.roles = roles
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
