// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (JWT wire names.)

import Foundation
import IdentityDomain
import JWTKit
import Platform

/// Signs a client assertion as an EHR would (RFC 7523, SMART Backend Services): for `selfsched client-assertion`,
/// so the docs' curl examples work without a JWT library.
package enum ClientAssertionSigner {
    package enum Algorithm: String, CaseIterable, Sendable {
        case rs384 = "RS384"
        case es384 = "ES384"
    }

    struct Claims: JWTPayload {
        var iss: String
        var sub: String
        var aud: String
        var exp: Int
        var iat: Int
        var jti: String

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// A fresh assertion (5 minutes, random `jti`) signed with the PEM private key `pem`; `kid`, when given,
    /// names the registered key (else the RFC 7638 thumbprint of the key's public half, which is what Identity
    /// gives a registered key without one).
    package static func sign(
        pem: String, algorithm: Algorithm, clientID: String, tokenURL: String, kid: String? = nil, now: Date = Date()
    ) async throws -> String {
        let publicJWK: [String: String]
        let add: @Sendable (JWTKeyCollection, JWKIdentifier) async -> Void
        switch algorithm {
        case .rs384:
            let key = try Insecure.RSA.PrivateKey(pem: pem)
            let primitives = try key.publicKey.getKeyPrimitives()
            publicJWK = [
                "kty": "RSA", "n": Secrets.base64URL(primitives.modulus),
                "e": Secrets.base64URL(primitives.publicExponent),
            ]
            add = { await $0.add(rsa: key, digestAlgorithm: .sha384, kid: $1) }
        case .es384:
            let key = try ES384PrivateKey(pem: pem)
            guard let point = key.parameters else { throw ConfigurationError("The EC key has no public point.") }
            publicJWK = ["kty": "EC", "crv": "P-384", "x": point.x, "y": point.y]
            add = { await $0.add(ecdsa: key, kid: $1) }
        }
        let seconds = Int(now.timeIntervalSince1970)
        let claims = Claims(
            iss: clientID, sub: clientID, aud: tokenURL, exp: seconds + Int(ClientAssertionRules.maxLifetime),
            iat: seconds, jti: Secrets.randomToken(bytes: 16))
        let keyID = JWKIdentifier(string: kid ?? ClientAssertionKeys.thumbprint(publicJWK) ?? "key")
        let collection = JWTKeyCollection()
        await add(collection, keyID)
        return try await collection.sign(claims, kid: keyID, header: ["typ": "JWT"])
    }
}
