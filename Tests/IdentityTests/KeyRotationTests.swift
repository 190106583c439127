import Foundation
import JWTKit
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Identity

@Suite("Key rotation reaches a running Identity")
struct KeyRotationTests {
    typealias Harness = IdentityHarness

    static func machineToken(_ app: Application, _ idp: Harness) async throws -> String {
        var headers = HTTPHeaders()
        headers.basicAuthorization = BasicAuthorization(username: "cli-m2m", password: idp.secrets["cli-m2m"]!)
        headers.contentType = .urlEncodedForm
        let response = try await app.testing().sendRequest(
            .POST, "/staff/token", headers: headers,
            body: ByteBuffer(string: "grant_type=client_credentials&audience=station"))
        return try #require(response.object["access_token"] as? String, "\(response.text)")
    }

    static func publishedKids(_ app: Application) async throws -> Set<String> {
        let keys = try await app.testing().sendRequest(.GET, "/staff/jwks").object["keys"] as? [[String: Any]] ?? []
        return Set(keys.compactMap { $0["kid"] as? String })
    }

    static func published(_ app: Application) async throws -> JWKS {
        try JSONDecoder().decode(
            JWKS.self, from: Data(buffer: try await app.testing().sendRequest(.GET, "/staff/jwks").body))
    }

    @Test(
        "an API that fetched the JWKS before a rotation verifies every token after it, fetching again only for the new key"
    )
    func verifierCachedBeforeRotation() async throws {
        try await Harness.with { idp in
            try await idp.withSibling { running in
                let issuer = "http://localhost:8083/staff"
                let source = RefetchingJWKSSource(app: running)
                let verifier = TokenVerifier(trustedIssuers: [issuer], audience: "station", keySource: source)
                let before = try await Self.machineToken(running, idp)
                #expect(try await verifier.verify(before).clientID == "cli-m2m")

                let newKid = try await IdentityApp.rotateKeys(idp.app)
                idp.clock.advance(idp.config.keyReloadInterval)
                #expect(try await Self.publishedKids(running).contains(newKid))
                // Published but not signing yet: the verifier's keys from before the rotation still do.
                let during = try await Self.machineToken(running, idp)
                #expect(keyID(ofToken: during) == keyID(ofToken: before))
                #expect(try await verifier.verify(during).clientID == "cli-m2m")
                #expect(await source.fetches == 1)

                idp.clock.advance(idp.config.keyActivationDelay - idp.config.keyReloadInterval + 1)
                let after = try await Self.machineToken(running, idp)
                #expect(keyID(ofToken: after) == newKid)
                // The unknown kid makes the verifier fetch the JWKS again, which holds it by now.
                #expect(try await verifier.verify(after).clientID == "cli-m2m")
                #expect(await source.fetches == 2)
                #expect(try await verifier.verify(before).clientID == "cli-m2m")
            }
        }
    }
}

/// An API's view of what an Identity publishes: fetched once, and again only when the verifier asks for a refresh
/// (as ``DiscoveryJWKSSource`` does on an unknown `kid`).
actor RefetchingJWKSSource: JWKSSource {
    let app: Application
    private var cached: JWKS?
    private(set) var fetches = 0

    init(app: Application) { self.app = app }

    func keys(for issuer: String, refresh: Bool) async throws -> JWKS {
        if let cached, !refresh { return cached }
        let keys = try await KeyRotationTests.published(app)
        cached = keys
        fetches += 1
        return keys
    }
}
