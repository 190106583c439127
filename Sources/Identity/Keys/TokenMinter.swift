import Foundation
import JWTKit
import Platform

/// The claims of an ID token (OpenID Connect Core §2).
struct IDTokenClaims: JWTPayload {
    var iss: IssuerClaim
    var sub: SubjectClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var authTime: Int
    var nonce: String?
    var email: String
    var name: String
    var tenant: String
    var userID: String?
    var partnerID: String?
    var roles: [String]?
    /// A staff member's markets (``MarketAccess``'s claim).
    var markets: [String]?

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nonce, email, name, tenant, roles, markets
        case authTime = "auth_time"
        case userID = "user_id"
        case partnerID = "partner_id"
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

extension Date {
    /// Token times are whole seconds (RFC 7519 NumericDate); a fraction would read as "issued in the future".
    var wholeSeconds: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}

/// Signs Identity's tokens with the active key.
struct TokenMinter: Sendable {
    let keys: SigningKeyStore
    let lifetime: TimeInterval

    func sign(_ payload: some JWTPayload, type: String = "JWT") async throws -> String {
        let active = try await keys.active()
        let collection = JWTKeyCollection()
        await collection.add(ecdsa: active.key, kid: JWKIdentifier(string: active.kid))
        return try await collection.sign(
            payload, kid: JWKIdentifier(string: active.kid), header: ["typ": .string(type)])
    }

    func accessToken(
        issuer: String, subject: String, audience: String, scopes: [String], clientID: String,
        claims: HookClaims?, tenant: Tenant, now: Date, person: (name: String, email: String)? = nil
    ) async throws -> (token: String, jti: String) {
        let jti = UUID().uuidString.lowercased()
        let now = now.wholeSeconds
        let payload = AccessTokenClaims(
            iss: issuer, sub: subject, aud: [audience], exp: now.addingTimeInterval(lifetime),
            nbf: now.addingTimeInterval(-5),
            iat: now, jti: jti, scope: scopes.joined(separator: " "), clientID: clientID, partnerID: claims?.partnerID,
            userID: claims?.userID ?? (tenant == .express ? nil : subject), roles: claims?.roles,
            tenant: tenant.rawValue, markets: claims?.markets, name: person?.name, email: person?.email)
        return (try await sign(payload), jti)
    }
}
