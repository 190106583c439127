import Foundation
@testable import Identity
import JWTKit
import Platform
import Testing
import Vapor
import VaporTesting

@Suite("Key rotation reaches a running Identity")
struct KeyRotationTests {
    typealias Harness = IdentityHarness

    static func machineToken(_ app: Application, _ idp: Harness) async throws -> String {
        var headers = HTTPHeaders()
        headers.basicAuthorization = BasicAuthorization(username: "cli-m2m", password: idp.secrets["cli-m2m"]!)
        headers.contentType = .urlEncodedForm
        let response = try await app.testing().sendRequest(.POST, "/staff/token", headers: headers,
                                                           body: ByteBuffer(string: "grant_type=client_credentials&audience=station"))
        return try #require(response.json["access_token"] as? String, "\(response.text)")
    }

    static func kid(of token: String) throws -> String {
        var header = String(try #require(token.split(separator: ".").first))
        header = header.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        header += String(repeating: "=", count: (4 - header.count % 4) % 4)
        let json = try JSONSerialization.jsonObject(with: try #require(Data(base64Encoded: header))) as? [String: Any]
        return try #require(json?["kid"] as? String)
    }

    static func publishedKids(_ app: Application) async throws -> Set<String> {
        let keys = try await app.testing().sendRequest(.GET, "/staff/jwks").json["keys"] as? [[String: Any]] ?? []
        return Set(keys.compactMap { $0["kid"] as? String })
    }

    @Test("a key rotated by one Identity is signed with and published by another after the reload interval, beside the old one")
    func rotationReachesSibling() async throws {
        try await Harness.with(adjust: { $0.keyReloadInterval = 5 }) { idp in
            try await idp.withSibling { running in
                let before = try await Self.machineToken(running, idp)
                let oldKid = try Self.kid(of: before)
                let newKid = try await IdentityApp.rotateKeys(idp.app)
                idp.clock.advance(6)
                #expect(try await Self.publishedKids(running) == [oldKid, newKid])
                let after = try await Self.machineToken(running, idp)
                #expect(try Self.kid(of: after) == newKid)
                // Tokens signed before the rotation still verify against what the running service publishes.
                let issuer = "http://localhost:8083/staff"
                let jwks = try JSONDecoder().decode(JWKS.self, from: Data(buffer: try await running.testing().sendRequest(.GET, "/staff/jwks").body))
                let verifier = TokenVerifier(trustedIssuers: [issuer], audience: "station", keySource: StaticJWKSSource([issuer: jwks]))
                _ = try await verifier.verify(before)
                _ = try await verifier.verify(after)
            }
        }
    }
}
