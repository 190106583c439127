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
        "a key rotated by one Identity is signed with and published by another after the reload interval, beside the old one"
    )
    func rotationReachesSibling() async throws {
        try await Harness.with(adjust: { $0.keyReloadInterval = 5 }) { idp in
            try await idp.withSibling { running in
                let before = try await Self.machineToken(running, idp)
                let oldKid = try #require(keyID(ofToken: before))
                let oldKeys = try await Self.published(running)
                let newKid = try await IdentityApp.rotateKeys(idp.app)
                idp.clock.advance(6)
                #expect(try await Self.publishedKids(running) == [oldKid, newKid])
                let after = try await Self.machineToken(running, idp)
                #expect(keyID(ofToken: after) == newKid)
                // Tokens signed before the rotation still verify against what the running service publishes.
                let issuer = "http://localhost:8083/staff"
                let verifier = TokenVerifier(
                    trustedIssuers: [issuer], audience: "station",
                    keySource: StaticJWKSSource([issuer: try await Self.published(running)]))
                #expect(try await verifier.verify(before).clientID == "cli-m2m")
                #expect(try await verifier.verify(after).clientID == "cli-m2m")
                // The new token needs the new key: what was published before the rotation does not verify it.
                let stale = TokenVerifier(
                    trustedIssuers: [issuer], audience: "station", keySource: StaticJWKSSource([issuer: oldKeys]))
                await #expect(throws: TokenRejection.self) { try await stale.verify(after) }
            }
        }
    }
}
