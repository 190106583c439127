import Foundation

/// The claims of a client assertion (RFC 7523 §3): a JWT a client signs with its own key to authenticate at
/// the token endpoint (SMART Backend Services' `private_key_jwt`).
package struct ClientAssertionClaims: Equatable, Sendable {
    package var issuer: String?
    package var subject: String?
    package var audience: [String]
    package var expiresAt: Date?
    package var issuedAt: Date?
    package var notBefore: Date?
    package var jwtID: String?

    package init(
        issuer: String?, subject: String?, audience: [String], expiresAt: Date?, issuedAt: Date? = nil,
        notBefore: Date? = nil, jwtID: String?
    ) {
        self.issuer = issuer
        self.subject = subject
        self.audience = audience
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        self.notBefore = notBefore
        self.jwtID = jwtID
    }
}

/// Why a client assertion is refused; `description` says which check failed (sent as `error_description`).
package enum ClientAssertionFailure: Error, Equatable, Sendable, CustomStringConvertible {
    case issuer, subject
    case audience(expected: String)
    case missingExpiry, expired, tooLongLived, issuedInFuture
    case notYetValid, missingJWTID, jwtIDTooLong

    package var description: String {
        switch self {
        case .issuer: "The assertion's iss must be the client id."
        case .subject: "The assertion's sub must be the client id."
        case .audience(let expected): "The assertion's aud must be the token endpoint, \(expected)."
        case .missingExpiry: "The assertion has no exp."
        case .expired: "The assertion has expired (exp is in the past)."
        case .tooLongLived: "The assertion's exp is more than 5 minutes ahead."
        case .issuedInFuture: "The assertion's iat is in the future."
        case .notYetValid: "The assertion is not valid yet (nbf is in the future)."
        case .missingJWTID: "The assertion has no jti."
        case .jwtIDTooLong: "The assertion's jti is longer than 255 characters."
        }
    }
}

/// The claim checks of RFC 7523 §3 and SMART Backend Services, apart from the signature and the jti's
/// uniqueness (which need the client's keys and the store).
package enum ClientAssertionRules {
    /// An assertion lives at most this long (SMART: "no more than five minutes in the future").
    package static let maxLifetime: TimeInterval = 300
    /// Leeway for the clocks of the client's host and ours.
    package static let clockSkew: TimeInterval = 60

    /// Nil when `claims` authenticate `clientID` at the token endpoint `tokenURL` (the issuer is accepted as
    /// an audience too) at `now`; else the first check that failed.
    package static func failure(
        of claims: ClientAssertionClaims, clientID: String, tokenURL: String, issuer: String, now: Date
    ) -> ClientAssertionFailure? {
        guard claims.issuer == clientID else { return .issuer }
        guard claims.subject == clientID else { return .subject }
        guard claims.audience.contains(where: { $0 == tokenURL || $0 == issuer }) else {
            return .audience(expected: tokenURL)
        }
        guard let expiresAt = claims.expiresAt else { return .missingExpiry }
        guard expiresAt > now else { return .expired }
        guard expiresAt <= now.addingTimeInterval(maxLifetime + clockSkew) else { return .tooLongLived }
        if let issuedAt = claims.issuedAt, issuedAt > now.addingTimeInterval(clockSkew) { return .issuedInFuture }
        if let notBefore = claims.notBefore, notBefore > now.addingTimeInterval(clockSkew) { return .notYetValid }
        guard let jti = claims.jwtID, !jti.isEmpty else { return .missingJWTID }
        guard jti.count <= 255 else { return .jwtIDTooLong }
        return nil
    }
}
