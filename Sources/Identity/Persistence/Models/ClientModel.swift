import Fluent
import Foundation
import IdentityDomain

/// An OAuth client of one tenant: a web app signing users in, or a service asking for M2M tokens.
final class ClientModel: Model, @unchecked Sendable {
    static let schema = "clients"

    @ID(custom: "client_id", generatedBy: .user) var id: String?
    @Field(key: "tenant") var tenant: String
    @Field(key: "name") var name: String
    @Field(key: "secret_hash") var secretHash: String
    @Field(key: "redirect_uris") var redirectURIs: [String]
    @Field(key: "post_logout_redirect_uris") var postLogoutRedirectURIs: [String]
    @Field(key: "grant_types") var grantTypes: [String]
    /// The audience of the access tokens a user signing in through this client gets.
    @OptionalField(key: "user_audience") var userAudience: String?
    /// For client_credentials: the audiences and scopes it may ask for, as `audience scope` pairs.
    @Field(key: "m2m_grants") var m2mGrants: [String]
    /// For authorization_code: the scopes its users' tokens may carry; nil (registered before the list
    /// existed) means OpenID's own scopes only.
    @OptionalField(key: "allowed_scopes") var allowedScopes: [String]?
    /// Where Identity posts a logout token when this client's user signs out (Back-Channel Logout 1.0).
    @OptionalField(key: "backchannel_logout_uri") var backchannelLogoutURI: String?
    /// An EHR backend client's public keys (a JWKS document): it authenticates with a JWT signed by one of them
    /// (RFC 7523 `private_key_jwt`) and has no usable secret.
    @OptionalField(key: "jwks") var jwks: String?
    /// The one partner a backend client's tokens reach.
    @OptionalField(key: "partner_id") var partnerID: UUID?
    @OptionalField(key: "created_at") var createdAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    /// Who registered a backend client (an Express user id), for the record.
    @OptionalField(key: "registered_by") var registeredBy: String?

    init() {}

    func allows(grant: String) -> Bool { grantTypes.contains(grant) }

    /// A SMART backend client: authenticates with a signed JWT, not a secret.
    var isBackendClient: Bool { jwks != nil }

    /// The scopes a user signing in through this client may get.
    var userScopes: [String] { allowedScopes ?? ScopeGrant.openIDScopes }

    /// The scopes this client may have on `audience`.
    func scopes(for audience: String) -> Set<String> {
        Set(
            m2mGrants.compactMap { entry in
                let parts = entry.split(separator: " ", maxSplits: 1).map(String.init)
                return parts.count == 2 && parts[0] == audience ? parts[1] : nil
            })
    }
}
