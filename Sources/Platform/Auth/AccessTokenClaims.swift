public import JWTKit
public import Foundation

/// The claims this project reads from an OAuth2 access token (RFC 9068 shape).
///
/// `exp` and `nbf` are checked here; `iss`, `aud` and the algorithm by ``TokenVerifier``.
public struct AccessTokenClaims: JWTPayload, Equatable {
    public var iss: IssuerClaim
    public var sub: SubjectClaim
    public var aud: AudienceClaim
    public var exp: ExpirationClaim
    public var nbf: NotBeforeClaim?
    public var iat: IssuedAtClaim?
    public var jti: IDClaim?
    /// Space-separated scopes.
    public var scope: String?
    /// The OAuth client the token was issued to.
    public var clientID: String?
    /// Present on tokens that act for one partner: they may reach only that partner's data.
    public var partnerID: String?
    public var userID: String?
    public var roles: [String]?
    public var tenant: String?

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, nbf, iat, jti, scope, tenant, roles
        case clientID = "client_id"
        case partnerID = "partner_id"
        case userID = "user_id"
    }

    public init(iss: String, sub: String, aud: [String], exp: Date, nbf: Date? = nil, iat: Date? = nil,
                jti: String? = nil, scope: String? = nil, clientID: String? = nil, partnerID: String? = nil,
                userID: String? = nil, roles: [String]? = nil, tenant: String? = nil) {
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
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        // A minute of leeway for clock skew between hosts.
        try exp.verifyNotExpired(currentDate: Date().addingTimeInterval(-60))
        try nbf?.verifyNotBefore(currentDate: Date().addingTimeInterval(60))
    }

    public var scopes: Set<String> { Set((scope ?? "").split(separator: " ").map(String.init)) }
}
