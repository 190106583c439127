import Foundation
import Vocabulary

/// An EHR's backend client (SMART Backend Services) at the identity provider: it signs in with its own key and
/// reads the partner's data through Station's FHIR API.
package struct EHRConnection: Sendable, Equatable {
    /// The id the EHR names itself by (the assertion's `iss` and `sub`).
    package var clientID: String
    package var partner: PartnerID
    /// What the partner calls it, such as "Epic production".
    package var name: String
    /// The `kid` of each registered key.
    package var keyIDs: [String]
    /// What its tokens may carry, such as `system/*.read`.
    package var scopes: [String]
    /// The token endpoint it authenticates at (its assertions' `aud`).
    package var tokenURL: String
    package var createdAt: Date
    package var lastUsedAt: Date?

    package init(
        clientID: String, partner: PartnerID, name: String, keyIDs: [String], scopes: [String], tokenURL: String,
        createdAt: Date, lastUsedAt: Date? = nil
    ) {
        self.clientID = clientID
        self.partner = partner
        self.name = name
        self.keyIDs = keyIDs
        self.scopes = scopes
        self.tokenURL = tokenURL
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }
}

/// The identity provider refused what was sent (its 422), with its reason as it worded it.
package struct EHRConnectionRefused: Error, Equatable {
    package var reason: String

    package init(reason: String) { self.reason = reason }
}

/// The identity provider has no such client for the partner.
package struct UnknownEHRConnection: Error {
    package init() {}
}

/// Partners' EHR backend clients at the identity provider. Every call throws ``ServiceUnavailable`` when it cannot
/// be reached or refuses for another reason than those named.
package protocol BackendClientRegistry: Sendable {
    /// Registers a client for `partner` with `publicKey` (a PEM public key or a JWKS document). Throws
    /// ``EHRConnectionRefused`` when the identity provider does not accept the key or the name.
    func register(partner: PartnerID, name: String, publicKey: String, registeredBy: UserID) async throws
        -> EHRConnection
    /// The partner's clients, newest first.
    func connections(of partner: PartnerID) async throws -> [EHRConnection]
    /// Removes the partner's client; throws ``UnknownEHRConnection`` for one that is not the partner's.
    func remove(_ clientID: String, of partner: PartnerID) async throws
}
