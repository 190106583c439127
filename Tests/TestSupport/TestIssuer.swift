import Foundation
import JWTKit
import Platform

/// An OpenID provider stand-in for tests: one ES256 key, its JWKS, and tokens minted on demand.
/// The services validate these tokens with their real verifier; only the key source differs.
package struct TestIssuer: Sendable {
    package let issuer: String
    package let kid: String
    let key: ES256PrivateKey

    package init(issuer: String = "http://localhost:8083/express", kid: String = "test-key-1") {
        self.issuer = issuer
        self.kid = kid
        self.key = ES256PrivateKey()
    }

    package var jwk: JWK {
        let parameters = key.publicKey.parameters!
        return JWK.ecdsa(.es256, identifier: JWKIdentifier(string: kid), x: parameters.x, y: parameters.y, curve: .p256)
    }

    package var jwks: JWKS { JWKS(keys: [jwk]) }

    package var keySource: StaticJWKSSource { StaticJWKSSource([issuer: jwks]) }

    /// A signed access token for `audience` with `scopes`, optionally scoped to a partner.
    package func token(
        audience: String, scopes: [String], partnerID: UUID? = nil, subject: String = "test-client",
        expiresIn: TimeInterval = 300, notBefore: Date? = nil, issuer: String? = nil
    ) async throws -> String {
        let claims = AccessTokenClaims(
            iss: issuer ?? self.issuer, sub: subject, aud: [audience], exp: Date().addingTimeInterval(expiresIn),
            nbf: notBefore, iat: Date(), jti: UUID().uuidString, scope: scopes.joined(separator: " "),
            clientID: subject, partnerID: partnerID?.uuidString.lowercased())
        return try await sign(claims)
    }

    package func sign(_ claims: some JWTPayload) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: key, kid: JWKIdentifier(string: kid))
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }
}
