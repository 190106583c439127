import Crypto
import Foundation
import JWTKit
import TestSupport
import Testing

@testable import Platform

@Suite("Bearer token validation")
struct TokenVerifierTests {
    let issuer = TestIssuer()
    var verifier: TokenVerifier {
        TokenVerifier(trustedIssuers: [issuer.issuer], audience: "station", keySource: issuer.keySource)
    }

    func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A token with a hand-made header and payload, signed by `sign`.
    func forged(header: [String: String], claims: [String: Any], sign: (Data) -> Data) -> String {
        let h = base64URL(try! JSONSerialization.data(withJSONObject: header))
        let p = base64URL(try! JSONSerialization.data(withJSONObject: claims))
        return "\(h).\(p).\(base64URL(sign(Data("\(h).\(p)".utf8))))"
    }

    var validClaims: [String: Any] {
        ["iss": issuer.issuer, "sub": "c", "aud": ["station"], "exp": Date().timeIntervalSince1970 + 300, "scope": "x"]
    }

    @Test("a token signed by the issuer's key, for this audience, is accepted with its claims")
    func valid() async throws {
        let token = try await issuer.token(audience: "station", scopes: ["a", "b"], partnerID: UUID())
        let claims = try await verifier.verify(token)
        #expect(claims.scopes == ["a", "b"])
        #expect(claims.partnerID != nil)
    }

    @Test("a token verified once is still refused by a verifier for another audience")
    func rememberedPerVerifier() async throws {
        let token = try await issuer.token(audience: "station", scopes: ["a"], partnerID: nil)
        let station = verifier
        _ = try await station.verify(token)
        _ = try await station.verify(token)
        let policy = TokenVerifier(trustedIssuers: [issuer.issuer], audience: "policy", keySource: issuer.keySource)
        await #expect(throws: TokenRejection.wrongAudience) { try await policy.verify(token) }
    }

    @Test("alg none is refused")
    func algNone() async throws {
        let token = forged(header: ["alg": "none", "kid": issuer.kid], claims: validClaims) { _ in Data() }
        await #expect(throws: TokenRejection.algorithmNotAllowed("none")) { try await verifier.verify(token) }
    }

    @Test("a token re-signed as HS256 with the public key is refused")
    func hmacWithPublicKey() async throws {
        let publicJWK = try JSONEncoder().encode(issuer.jwk)
        let token = forged(header: ["alg": "HS256", "kid": issuer.kid], claims: validClaims) { input in
            Data(HMAC<SHA256>.authenticationCode(for: input, using: SymmetricKey(data: publicJWK)))
        }
        await #expect(throws: TokenRejection.algorithmNotAllowed("HS256")) { try await verifier.verify(token) }
    }

    @Test("an allowed algorithm that does not match the key is refused")
    func algorithmKeyMismatch() async throws {
        let token = forged(header: ["alg": "RS256", "kid": issuer.kid], claims: validClaims) { _ in
            Data(repeating: 1, count: 256)
        }
        await #expect(throws: TokenRejection.algorithmNotAllowed("RS256")) { try await verifier.verify(token) }
    }

    @Test("a token signed by another key with the same kid is refused")
    func otherKey() async throws {
        let impostor = TestIssuer(issuer: issuer.issuer, kid: issuer.kid)
        let token = try await impostor.token(audience: "station", scopes: [])
        await #expect(throws: TokenRejection.badSignatureOrClaims) { try await verifier.verify(token) }
    }

    @Test("wrong audience, untrusted issuer, expiry and not-before are each refused")
    func claims() async throws {
        let wrongAudience = try await issuer.token(audience: "express", scopes: [])
        await #expect(throws: TokenRejection.wrongAudience) { try await verifier.verify(wrongAudience) }
        let foreign = try await issuer.token(audience: "station", scopes: [], issuer: "http://localhost:8083/patients")
        await #expect(throws: TokenRejection.untrustedIssuer) { try await verifier.verify(foreign) }
        let expired = try await issuer.token(audience: "station", scopes: [], expiresIn: -300)
        await #expect(throws: TokenRejection.badSignatureOrClaims) { try await verifier.verify(expired) }
        let early = try await issuer.token(audience: "station", scopes: [], notBefore: Date().addingTimeInterval(600))
        await #expect(throws: TokenRejection.badSignatureOrClaims) { try await verifier.verify(early) }
    }

    @Test("a token of another tenant is refused even when that tenant is trusted elsewhere")
    func otherTenant() async throws {
        let patients = TestIssuer(issuer: "http://localhost:8083/patients", kid: "patients-1")
        let verifier = TokenVerifier(
            trustedIssuers: [issuer.issuer, patients.issuer], audience: "station",
            keySource: StaticJWKSSource([issuer.issuer: issuer.jwks, patients.issuer: patients.jwks]))
        // Signed by the patients tenant's key but claiming the express issuer.
        let token = try await patients.token(audience: "station", scopes: [], issuer: issuer.issuer)
        await #expect(throws: TokenRejection.unknownKey) { try await verifier.verify(token) }
        _ = try await verifier.verify(try await patients.token(audience: "station", scopes: []))
    }

    @Test("missing kid, unknown kid and garbage are refused")
    func malformed() async throws {
        // Without a kid, the issuer's only key is tried, and a bad signature still fails.
        let noKid = forged(header: ["alg": "ES256"], claims: validClaims) { _ in Data() }
        await #expect(throws: TokenRejection.badSignatureOrClaims) { try await verifier.verify(noKid) }
        let second = TestIssuer(issuer: issuer.issuer, kid: "second")
        let twoKeys = TokenVerifier(
            trustedIssuers: [issuer.issuer], audience: "station",
            keySource: StaticJWKSSource([issuer.issuer: JWKS(keys: [issuer.jwk, second.jwk])]))
        await #expect(throws: TokenRejection.missingKeyID) { try await twoKeys.verify(noKid) }
        let unknownKid = forged(header: ["alg": "ES256", "kid": "nope"], claims: validClaims) { _ in Data() }
        await #expect(throws: TokenRejection.unknownKey) { try await verifier.verify(unknownKid) }
        await #expect(throws: TokenRejection.malformed) { try await verifier.verify("abc") }
    }
}

@Suite("Database URLs")
struct DatabaseLocationTests {
    @Test("postgres URLs select PostgreSQL; paths select SQLite; passwords never print")
    func parsing() throws {
        #expect(
            try DatabaseLocation(url: "postgres://u:secret@db:5432/station")
                == .postgres(url: "postgres://u:secret@db:5432/station"))
        #expect(
            try DatabaseLocation(url: "./.selfsched/station.sqlite") == .sqlite(path: "./.selfsched/station.sqlite"))
        #expect(try DatabaseLocation(url: "sqlite:///tmp/x.sqlite") == .sqlite(path: "/tmp/x.sqlite"))
        #expect(!(try DatabaseLocation(url: "postgres://u:secret@db/station")).description.contains("secret"))
        #expect(throws: DatabaseLocation.Invalid.self) { try DatabaseLocation(url: "mysql://db/x") }
        #expect(throws: DatabaseLocation.Invalid.self) { try DatabaseLocation(url: "") }
    }
}
