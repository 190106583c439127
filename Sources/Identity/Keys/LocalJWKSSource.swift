import JWTKit
import Platform

/// Identity's own keys, for the APIs it serves itself.
struct LocalJWKSSource: JWKSSource {
    let keys: SigningKeyStore
    func keys(for issuer: String, refresh: Bool) async throws -> JWKS { try await keys.jwks() }
}
