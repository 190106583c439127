import Foundation
import IdentityDomain
import Testing

/// The claim checks of a client assertion (RFC 7523 §3, SMART Backend Services) and the key rules, without a server.
@Suite("Client assertion rules")
struct ClientAssertionRulesTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let issuer = "http://localhost:8083/express"
    static let tokenURL = "http://localhost:8083/express/token"

    static func claims(
        iss: String? = "ehr-1", sub: String? = "ehr-1", aud: [String] = [tokenURL], exp: TimeInterval? = 240,
        iat: TimeInterval? = 0, nbf: TimeInterval? = nil, jti: String? = "a-jti"
    ) -> ClientAssertionClaims {
        ClientAssertionClaims(
            issuer: iss, subject: sub, audience: aud, expiresAt: exp.map { now.addingTimeInterval($0) },
            issuedAt: iat.map { now.addingTimeInterval($0) }, notBefore: nbf.map { now.addingTimeInterval($0) },
            jwtID: jti)
    }

    static func failure(_ claims: ClientAssertionClaims) -> ClientAssertionFailure? {
        ClientAssertionRules.failure(of: claims, clientID: "ehr-1", tokenURL: tokenURL, issuer: issuer, now: now)
    }

    @Test("an assertion of the client, for this token endpoint (or its issuer), fresh and with a jti passes")
    func passes() {
        #expect(Self.failure(Self.claims()) == nil)
        #expect(Self.failure(Self.claims(aud: ["https://elsewhere.example", Self.issuer])) == nil)
        #expect(Self.failure(Self.claims(exp: 300, iat: nil)) == nil)
    }

    @Test("each claim that is wrong is named")
    func refusals() {
        #expect(Self.failure(Self.claims(iss: "ehr-2")) == .issuer)
        #expect(Self.failure(Self.claims(iss: nil)) == .issuer)
        #expect(Self.failure(Self.claims(sub: "ehr-2")) == .subject)
        #expect(
            Self.failure(Self.claims(aud: ["http://localhost:8083/staff/token"])) == .audience(expected: Self.tokenURL))
        #expect(Self.failure(Self.claims(exp: nil)) == .missingExpiry)
        #expect(Self.failure(Self.claims(exp: 0)) == .expired)
        #expect(Self.failure(Self.claims(exp: -1)) == .expired)
        #expect(Self.failure(Self.claims(exp: 3600)) == .tooLongLived)
        #expect(Self.failure(Self.claims(iat: 600)) == .issuedInFuture)
        #expect(Self.failure(Self.claims(nbf: 600)) == .notYetValid)
        #expect(Self.failure(Self.claims(jti: nil)) == .missingJWTID)
        #expect(Self.failure(Self.claims(jti: "")) == .missingJWTID)
        #expect(Self.failure(Self.claims(jti: String(repeating: "x", count: 256))) == .jwtIDTooLong)
        #expect(ClientAssertionFailure.expired.description.contains("exp"))
        #expect(ClientAssertionFailure.audience(expected: Self.tokenURL).description.contains(Self.tokenURL))
    }

    @Test("a small clock difference is tolerated, a large one is not")
    func clockSkew() {
        #expect(Self.failure(Self.claims(exp: 330, iat: 30)) == nil)
        #expect(Self.failure(Self.claims(exp: 240, nbf: 30)) == nil)
    }

    @Test("the thumbprint of RFC 7638's example key is the one in its section 3.1")
    func thumbprint() {
        let n =
            "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3"
            + "oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0z"
            + "gdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-"
            + "csFCur-kEgU8awapJzKnqDKgw"
        #expect(
            ClientAssertionKeys.thumbprint(["kty": "RSA", "n": n, "e": "AQAB", "kid": "2011-04-29", "alg": "RS256"])
                == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
        #expect(ClientAssertionKeys.thumbprint(["kty": "oct", "k": "c2VjcmV0"]) == nil)
    }

    @Test("private members mark a private key; algorithms need their key type")
    func keyRules() {
        #expect(ClientAssertionKeys.isPrivate(["kty": "RSA", "n": "x", "e": "AQAB", "d": "y"]))
        #expect(ClientAssertionKeys.isPrivate(["kty": "EC", "crv": "P-256", "x": "x", "y": "y", "d": "z"]))
        #expect(ClientAssertionKeys.isPrivate(["kty": "oct", "k": "secret"]))
        #expect(!ClientAssertionKeys.isPrivate(["kty": "RSA", "n": "x", "e": "AQAB"]))
        #expect(ClientAssertionKeys.keyType(for: "RS384")?.kty == "RSA")
        #expect(ClientAssertionKeys.keyType(for: "ES384")?.crv == "P-384")
        #expect(ClientAssertionKeys.keyType(for: "ES256")?.crv == "P-256")
        #expect(ClientAssertionKeys.keyType(for: "HS256") == nil)
        #expect(ClientAssertionKeys.keyType(for: "none") == nil)
    }
}
