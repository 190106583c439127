import Foundation
import JWTKit

/// The claims this project reads from an OAuth2 access token (RFC 9068 shape).
///
/// `exp` and `nbf` are checked here; `iss`, `aud` and the algorithm by ``TokenVerifier``.
package struct AccessTokenClaims: JWTPayload, Equatable {
    package var iss: IssuerClaim
    package var sub: SubjectClaim
    package var aud: AudienceClaim
    package var exp: ExpirationClaim
    package var nbf: NotBeforeClaim?
    package var iat: IssuedAtClaim?
    package var jti: IDClaim?
    /// Space-separated scopes.
    package var scope: String?
    /// The OAuth client the token was issued to.
    package var clientID: String?
    /// Present on tokens that act for one partner: they may reach only that partner's data.
    package var partnerID: String?
    package var userID: String?
    package var roles: [String]?
    package var tenant: String?
    /// A staff user's markets (``MarketAccess``): market ids or `*`.
    package var markets: [String]?
    /// A staff user's display name and email (OpenID claims), so the history names who moved a request.
    package var name: String?
    package var email: String?

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, nbf, iat, jti, scope, tenant, roles, markets, name, email
        case clientID = "client_id"
        case partnerID = "partner_id"
        case userID = "user_id"
    }

    package init(
        iss: String, sub: String, aud: [String], exp: Date, nbf: Date? = nil, iat: Date? = nil,
        jti: String? = nil, scope: String? = nil, clientID: String? = nil, partnerID: String? = nil,
        userID: String? = nil, roles: [String]? = nil, tenant: String? = nil, markets: [String]? = nil,
        name: String? = nil, email: String? = nil
    ) {
        self.iss = IssuerClaim(value: iss)
        self.sub = SubjectClaim(value: sub)
        self.aud = AudienceClaim(value: aud)
        self.exp = ExpirationClaim(value: exp)
        self.nbf = nbf.map { NotBeforeClaim(value: $0) }
        self.iat = iat.map { IssuedAtClaim(value: $0) }
        self.jti = jti.map { IDClaim(value: $0) }
        self.scope = scope
        self.clientID = clientID
        self.partnerID = partnerID
        self.userID = userID
        self.roles = roles
        self.tenant = tenant
        self.markets = markets
        self.name = name
        self.email = email
    }

    package func verify(using algorithm: some JWTAlgorithm) async throws {
        // A minute of leeway for clock skew between hosts.
        try exp.verifyNotExpired(currentDate: Date().addingTimeInterval(-60))
        try nbf?.verifyNotBefore(currentDate: Date().addingTimeInterval(60))
    }

    package var scopes: Set<String> { Set((scope ?? "").split(separator: " ").map(String.init)) }
}
