public import JWTKit
public import Foundation

/// Why a bearer token was refused. The caller sees only "invalid token"; the log gets the reason.
public enum TokenRejection: Error, Equatable, Sendable {
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
public protocol IssuedClaims: JWTPayload {
    var iss: IssuerClaim { get }
    var aud: AudienceClaim { get }
}

extension AccessTokenClaims: IssuedClaims {}

/// Validates bearer JWTs: algorithm allow-list, known `kid`, signature, `iss`, `aud`, `exp`, `nbf`.
public struct TokenVerifier: Sendable {
    public static let allowedAlgorithms: Set<String> = ["RS256", "ES256"]

    public var trustedIssuers: Set<String>
    /// The audience every token must name; nil accepts any (only for the issuer's own userinfo endpoint).
    public var audience: String?
    public var keySource: any JWKSSource

    public init(trustedIssuers: Set<String>, audience: String?, keySource: any JWKSSource) {
        self.trustedIssuers = trustedIssuers
        self.audience = audience
        self.keySource = keySource
    }

    private struct Header: Decodable {
        var alg: String?
        var kid: String?
    }

    private struct UnverifiedIssuer: Decodable {
        var iss: String?
    }

    public func verify(_ token: String) async throws(TokenRejection) -> AccessTokenClaims {
        try await verify(token, as: AccessTokenClaims.self)
    }

    /// Verifies a token whose claims are `Claims` (an access token, or an ID token for a relying party).
    public func verify<Claims: IssuedClaims>(_ token: String, as: Claims.Type) async throws(TokenRejection) -> Claims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
              let header = try? JSONDecoder().decode(Header.self, from: Self.base64URL(parts[0])),
              let unverified = try? JSONDecoder().decode(UnverifiedIssuer.self, from: Self.base64URL(parts[1]))
        else { throw .malformed }
        guard let alg = header.alg, Self.allowedAlgorithms.contains(alg) else {
            throw .algorithmNotAllowed(header.alg ?? "none")
        }
        guard let issuer = unverified.iss, trustedIssuers.contains(issuer) else { throw .untrustedIssuer }

        let keySet = try await keySet(issuer: issuer, kid: header.kid.flatMap { $0.isEmpty ? nil : $0 }, alg: alg)
        let collection = JWTKeyCollection()
        do {
            try await collection.add(jwks: keySet)
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
                let candidates = set.keys.filter { $0.keyType == expectedType && ($0.algorithm == nil || $0.algorithm?.rawValue == alg) }
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

    static func base64URL(_ text: Substring) -> Data {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64) ?? Data()
    }
}
