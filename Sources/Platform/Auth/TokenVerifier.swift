import Foundation
import JWTKit
import NIOConcurrencyHelpers

/// Why a bearer token was refused. The caller sees only "invalid token"; the log gets the reason.
package enum TokenRejection: Error, Equatable, Sendable {
    case malformed
    case algorithmNotAllowed(String)
    case missingKeyID
    case unknownKey
    case untrustedIssuer
    case wrongAudience
    case badSignatureOrClaims
    case keysUnavailable
}

/// Claims every verified token has: who issued it and for whom.
package protocol IssuedClaims: JWTPayload {
    var iss: IssuerClaim { get }
    var aud: AudienceClaim { get }
    var exp: ExpirationClaim { get }
}

extension AccessTokenClaims: IssuedClaims {}

/// Validates bearer JWTs: algorithm allow-list, known `kid`, signature, `iss`, `aud`, `exp`, `nbf`.
package struct TokenVerifier: Sendable {
    package static let allowedAlgorithms: Set<String> = ["RS256", "ES256"]

    package var trustedIssuers: Set<String>
    /// The audience every token must name; nil accepts any (only for the issuer's own userinfo endpoint).
    package var audience: String?
    package var keySource: any JWKSSource
    /// Parsed keys, by the key's own published fields: parsing a JWK into a key costs more than checking a signature.
    private let parsedKeys = ParsedKeys()
    /// Tokens already verified, until they expire: a machine client sends the same token with every call.
    private let verified = VerifiedTokens()

    package init(trustedIssuers: Set<String>, audience: String?, keySource: any JWKSSource) {
        self.trustedIssuers = trustedIssuers
        self.audience = audience
        self.keySource = keySource
    }

    private final class ParsedKeys: Sendable {
        private let collections = NIOLockedValueBox([String: JWTKeyCollection]())

        func collection(for keySet: JWKS) async throws -> JWTKeyCollection {
            let key = keySet.keys.map { k in
                [
                    k.keyIdentifier?.string, k.algorithm?.rawValue, k.keyType.rawValue, k.modulus, k.exponent, k.x, k.y,
                    k.curve?.rawValue,
                ]
                .map { $0 ?? "" }.joined(separator: "|")
            }.joined(separator: ";")
            if let cached = collections.withLockedValue({ $0[key] }) { return cached }
            let collection = JWTKeyCollection()
            try await collection.add(jwks: keySet)
            collections.withLockedValue { cache in
                if cache.count >= 64 { cache.removeAll() } // keys rotate rarely; a flood of odd sets must not grow it
                cache[key] = collection
            }
            return collection
        }
    }

    /// Claims of tokens that passed every check, by the exact token text, kept no longer than the token is valid
    /// (with the same 60 seconds of clock leeway the claims check allows) and at most five minutes.
    private final class VerifiedTokens: Sendable {
        private let entries = NIOLockedValueBox([String: (claims: any Sendable, until: Date)]())

        func claims<Claims: IssuedClaims>(_ token: String, as: Claims.Type) -> Claims? {
            let now = Date()
            return entries.withLockedValue { entries in
                guard let entry = entries[token], entry.until > now else { return nil }
                return entry.claims as? Claims
            }
        }

        func remember<Claims: IssuedClaims>(_ token: String, _ claims: Claims) {
            let now = Date()
            let until = min(claims.exp.value.addingTimeInterval(60), now.addingTimeInterval(300))
            entries.withLockedValue { entries in
                if entries.count >= 1024 { entries = entries.filter { $0.value.until > now } }
                if entries.count >= 1024 { entries.removeAll() }
                entries[token] = (claims, until)
            }
        }
    }

    /// The issuer a token claims, read before its signature is checked only to choose the issuer's keys.
    private struct UnverifiedIssuer: JWTPayload {
        var iss: String?
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    package func verify(_ token: String) async throws(TokenRejection) -> AccessTokenClaims {
        try await verify(token, as: AccessTokenClaims.self)
    }

    /// Verifies a token whose claims are `Claims` (an access token, or an ID token for a relying party).
    package func verify<Claims: IssuedClaims>(_ token: String, as: Claims.Type) async throws(TokenRejection) -> Claims {
        if let claims = verified.claims(token, as: Claims.self) { return claims }
        guard let (header, unverified, _) = try? DefaultJWTParser().parse(Array(token.utf8), as: UnverifiedIssuer.self)
        else {
            throw .malformed
        }
        guard let alg = header.alg, Self.allowedAlgorithms.contains(alg) else {
            throw .algorithmNotAllowed(header.alg ?? "none")
        }
        guard let issuer = unverified.iss, trustedIssuers.contains(issuer) else { throw .untrustedIssuer }

        let keySet = try await keySet(issuer: issuer, kid: header.kid.flatMap { $0.isEmpty ? nil : $0 }, alg: alg)
        let collection: JWTKeyCollection
        do {
            collection = try await parsedKeys.collection(for: keySet)
        } catch {
            throw .keysUnavailable
        }
        let claims: Claims
        do {
            claims = try await collection.verify(token, as: Claims.self)
        } catch {
            throw .badSignatureOrClaims
        }
        guard claims.iss.value == issuer else { throw .untrustedIssuer }
        if let audience, !claims.aud.value.contains(audience) { throw .wrongAudience }
        verified.remember(token, claims)
        return claims
    }

    /// The key set holding `kid`, refreshed once when the cached set does not know it. The key must be
    /// for the header's algorithm, so an RSA public key can never verify an HMAC signature. A token without
    /// a `kid` is accepted only from an issuer that publishes exactly one key for its algorithm (OIDC Core §10.1).
    private func keySet(issuer: String, kid: String?, alg: String) async throws(TokenRejection) -> JWKS {
        for refresh in [false, true] {
            let set: JWKS
            do {
                set = try await keySource.keys(for: issuer, refresh: refresh)
            } catch let rejection as TokenRejection {
                throw rejection
            } catch {
                throw .keysUnavailable
            }
            let expectedType: JWK.KeyType = alg == "RS256" ? .rsa : .ecdsa
            guard let kid else {
                let candidates = set.keys.filter {
                    $0.keyType == expectedType && ($0.algorithm == nil || $0.algorithm?.rawValue == alg)
                }
                guard candidates.count == 1 else { throw .missingKeyID }
                var key = candidates[0]
                key.keyIdentifier = JWKIdentifier(string: "only-key")
                return JWKS(keys: [key])
            }
            if let key = set.keys.first(where: { $0.keyIdentifier?.string == kid }) {
                if let keyAlg = key.algorithm?.rawValue, keyAlg != alg { throw .algorithmNotAllowed(alg) }
                guard key.keyType == expectedType else { throw .algorithmNotAllowed(alg) }
                return JWKS(keys: [key])
            }
        }
        throw .unknownKey
    }
}
