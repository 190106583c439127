import JWTKit
import AsyncHTTPClient
import Foundation
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
    private let client: HTTPClient
    private var cache: [String: (keys: JWKS, fetchedAt: Date)] = [:]
    private let minimumRefreshInterval: TimeInterval

    package init(client: HTTPClient, minimumRefreshInterval: TimeInterval = 10) {
        self.client = client
        self.minimumRefreshInterval = minimumRefreshInterval
    }

    package func keys(for issuer: String, refresh: Bool) async throws -> JWKS {
        if let cached = cache[issuer] {
            // A flood of tokens with made-up kids must not become a flood of JWKS fetches.
            let fresh = Date().timeIntervalSince(cached.fetchedAt) < minimumRefreshInterval
            if !refresh || fresh { return cached.keys }
        }
        let discovery: Discovery = try await fetch(issuer + "/.well-known/openid-configuration")
        // A discovery document must name the issuer it was fetched for (OpenID Connect Discovery 1.0, 4.3).
        guard discovery.issuer == issuer else { throw TokenRejection.untrustedIssuer }
        let keys: JWKS = try await fetch(discovery.jwksURI)
        cache[issuer] = (keys, Date())
        return keys
    }

    /// Fetches `issuer`'s discovery document and throws ``IssuerMismatch`` when it names another issuer; for the
    /// check at start. An issuer that cannot be reached yet throws the transport's error.
    package func checkDiscovery(of issuer: String) async throws {
        let discovery: Discovery = try await fetch(issuer + "/.well-known/openid-configuration")
        guard discovery.issuer == issuer else { throw IssuerMismatch(expected: issuer, named: discovery.issuer) }
    }

    private struct Discovery: Decodable {
        var issuer: String
        var jwksURI: String
        enum CodingKeys: String, CodingKey {
            case issuer
            case jwksURI = "jwks_uri"
        }
    }

    private func fetch<T: Decodable>(_ url: String) async throws -> T {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        TraceContext.current?.stamp(&request)
        let response = try await client.execute(request, timeout: .seconds(5))
        guard response.status == .ok else { throw TokenRejection.keysUnavailable }
        let body = try await response.body.collect(upTo: 1 << 20)
        return try JSONDecoder().decode(T.self, from: Data(buffer: body))
    }
}
