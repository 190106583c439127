import AsyncHTTPClient
import Foundation
import JWTKit
import NIOCore
import NIOFoundationCompat

/// Where an API finds the signing keys of the issuers it trusts.
package protocol JWKSSource: Sendable {
    /// The key set of `issuer`; `refresh` asks for a fresh copy (after an unknown `kid`).
    func keys(for issuer: String, refresh: Bool) async throws -> JWKS
}

/// A fixed key set per issuer, for tests and for keys configured by hand.
package struct StaticJWKSSource: JWKSSource {
    package var keySets: [String: JWKS]

    package init(_ keySets: [String: JWKS]) { self.keySets = keySets }

    package func keys(for issuer: String, refresh: Bool) async throws -> JWKS {
        guard let set = keySets[issuer] else { throw TokenRejection.untrustedIssuer }
        return set
    }
}

/// Keys from each issuer's OpenID Connect discovery document, cached and refreshed on an unknown `kid`.
package actor DiscoveryJWKSSource: JWKSSource {
    private let discovery: OIDCDiscovery
    private var cache: [String: (keys: JWKS, fetchedAt: Date)] = [:]
    private let minimumRefreshInterval: TimeInterval

    /// The least time between two fetches of one issuer's keys, however many unknown `kid`s arrive. An issuer that
    /// rotates its keys publishes a new key at least this long before it signs with it (Identity's
    /// `keyActivationDelay`).
    package static let defaultMinimumRefreshInterval: TimeInterval = 10

    package init(discovery: OIDCDiscovery, minimumRefreshInterval: TimeInterval = defaultMinimumRefreshInterval) {
        self.discovery = discovery
        self.minimumRefreshInterval = minimumRefreshInterval
    }

    package init(client: HTTPClient, minimumRefreshInterval: TimeInterval = defaultMinimumRefreshInterval) {
        self.init(discovery: OIDCDiscovery(client: client), minimumRefreshInterval: minimumRefreshInterval)
    }

    package func keys(for issuer: String, refresh: Bool) async throws -> JWKS {
        if let cached = cache[issuer] {
            // A flood of tokens with made-up kids must not become a flood of JWKS fetches.
            let fresh = Date().timeIntervalSince(cached.fetchedAt) < minimumRefreshInterval
            if !refresh || fresh { return cached.keys }
        }
        let keys: JWKS
        do {
            let document = try await discovery.document(for: issuer, refresh: refresh)
            guard let jwksURI = document.jwksURI else { throw TokenRejection.keysUnavailable }
            keys = try await discovery.getJSON(jwksURI, issuer: issuer)
        } catch OIDCDiscovery.Failure.mismatch {
            throw TokenRejection.untrustedIssuer
        } catch is OIDCDiscovery.Failure {
            throw TokenRejection.keysUnavailable
        }
        cache[issuer] = (keys, Date())
        return keys
    }

    /// Fetches `issuer`'s discovery document and throws ``IssuerMismatch`` when it names another issuer; for the
    /// check at start. An issuer that cannot be reached yet throws the transport's error.
    package func checkDiscovery(of issuer: String) async throws {
        do {
            _ = try await discovery.document(for: issuer, refresh: true)
        } catch OIDCDiscovery.Failure.mismatch(let mismatch) {
            throw mismatch
        }
    }
}
