// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (OAuth and OpenID Connect wire names: form fields and JSON keys are snake_case by their standards.)

import AsyncHTTPClient
import Foundation
import JWTKit
import NIOCore
import NIOFoundationCompat

/// The claims of an OpenID Connect ID token that the apps read.
package struct IDTokenClaims: IssuedClaims, Equatable {
    package var iss: IssuerClaim
    package var sub: SubjectClaim
    package var aud: AudienceClaim
    package var exp: ExpirationClaim
    package var iat: IssuedAtClaim?
    package var nonce: String?
    package var email: String?
    package var name: String?
    package var tenant: String?
    package var userID: String?
    package var partnerID: String?
    package var roles: [String]?
    /// A staff member's markets (``Vocabulary/MarketAccess``'s claim).
    package var markets: [String]?

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nonce, email, name, tenant, roles, markets
        case userID = "user_id"
        case partnerID = "partner_id"
    }

    package func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired(currentDate: Date().addingTimeInterval(-60))
    }
}

/// Who signed in, as the ID token says.
package struct SignedInUser: Codable, Sendable, Equatable {
    package var subject: String
    package var email: String?
    package var name: String?
    package var userID: String?
    package var partnerID: String?
    package var roles: [String]
    package var tenant: String?
    /// A staff member's `markets` claim (market ids or `*`); nil when the ID token carries none.
    package var markets: [String]? = nil
}

/// A server-rendered app's sign-in through any OpenID Connect provider: authorization code with PKCE
/// (S256), `state` and `nonce` bound to the browser's session, tokens kept on the server.
package struct RelyingParty: Sendable {
    package struct Configuration: Sendable {
        package var issuer: String
        package var clientID: String
        package var clientSecret: String
        package var redirectURI: String
        package var scopes: [String]

        package init(
            issuer: String, clientID: String, clientSecret: String, redirectURI: String,
            scopes: [String] = ["openid", "email", "profile"]
        ) {
            self.issuer = issuer
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.redirectURI = redirectURI
            self.scopes = scopes
        }
    }

    package enum Failure: Error, Equatable, CustomStringConvertible {
        /// The callback's state is not the one this browser's session started: a forged or stale callback.
        case stateMismatch
        /// The provider said no (the user cancelled, or was refused).
        case providerError(String, String?)
        case tokenExchangeFailed(Int)
        case invalidIDToken(String)
        case unavailable(String)

        package var description: String {
            switch self {
            case .stateMismatch: "The sign-in response does not belong to this browser session."
            case .providerError(let error, let detail): "The identity provider refused sign-in: \(detail ?? error)."
            case .tokenExchangeFailed(let status): "The identity provider refused the code exchange (HTTP \(status))."
            case .invalidIDToken(let why): "The ID token is not valid: \(why)."
            case .unavailable(let why): "The identity provider is unavailable: \(why)."
            }
        }
    }

    package let configuration: Configuration
    let http: HTTPClient
    let keys: any JWKSSource
    let discovery: OIDCDiscovery

    package init(_ configuration: Configuration, http: HTTPClient = .shared, keys: (any JWKSSource)? = nil) {
        self.configuration = configuration
        self.http = http
        let discovery = OIDCDiscovery(client: http)
        self.keys = keys ?? DiscoveryJWKSSource(discovery: discovery)
        self.discovery = discovery
    }

    /// The provider's discovery document; the relying party's failure when it cannot be had.
    func document() async throws(Failure) -> OIDCDiscovery.Document {
        do {
            return try await discovery.document(for: configuration.issuer)
        } catch {
            throw .unavailable("\(error)")
        }
    }

    func endpoint(_ name: String, _ field: KeyPath<OIDCDiscovery.Document, String?>) async throws(Failure) -> String {
        guard let value = try await document()[keyPath: field] else {
            throw .unavailable(OIDCDiscovery.Failure.missing(name, issuer: configuration.issuer).description)
        }
        return value
    }

    // Session keys of a sign-in in progress.
    static let stateKey = "_oidc_state", nonceKey = "_oidc_nonce", verifierKey = "_oidc_verifier",
        returnKey = "_oidc_return"

    /// Starts sign-in: remembers state, nonce and the PKCE verifier in the session and returns the provider URL.
    package func authorizationURL(session: WebSession, returnTo: String, prompt: String? = nil) async throws -> String {
        let authorizationEndpoint = try await endpoint("authorization_endpoint", \.authorizationEndpoint)
        let state = Secrets.randomToken()
        let nonce = Secrets.randomToken()
        let verifier = Secrets.randomToken(bytes: 64)
        session[Self.stateKey] = state
        session[Self.nonceKey] = nonce
        session[Self.verifierKey] = verifier
        session[Self.returnKey] = returnTo
        var components = URLComponents(string: authorizationEndpoint)!
        components.queryItems =
            (components.queryItems ?? []) + [
                URLQueryItem(name: "response_type", value: "code"),
                URLQueryItem(name: "client_id", value: configuration.clientID),
                URLQueryItem(name: "redirect_uri", value: configuration.redirectURI),
                URLQueryItem(name: "scope", value: configuration.scopes.joined(separator: " ")),
                URLQueryItem(name: "state", value: state),
                URLQueryItem(name: "nonce", value: nonce),
                URLQueryItem(name: "code_challenge", value: Secrets.pkceChallenge(for: verifier)),
                URLQueryItem(name: "code_challenge_method", value: "S256"),
            ] + (prompt.map { [URLQueryItem(name: "prompt", value: $0)] } ?? [])
        // '+' is a space in form decoding; encode it so the scope and values survive every server.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.string!
    }

    /// Finishes sign-in from the callback's query: checks state, exchanges the code, validates the ID token
    /// (signature, iss, aud, exp, nonce, algorithm). Returns the user, the tokens and where to go next.
    package func completeSignIn(
        session: WebSession, code: String?, state: String?, error: String?, errorDescription: String?
    )
        async throws(Failure) -> (user: SignedInUser, idToken: String, accessToken: String, returnTo: String)
    {
        let expectedState = session[Self.stateKey]
        let nonce = session[Self.nonceKey]
        let verifier = session[Self.verifierKey]
        let returnTo = session[Self.returnKey] ?? "/"
        for key in [Self.stateKey, Self.nonceKey, Self.verifierKey, Self.returnKey] { session[key] = nil }
        guard let expectedState, let state, state == expectedState, let nonce, let verifier else {
            throw .stateMismatch
        }
        if let error { throw .providerError(error, errorDescription) }
        guard let code, !code.isEmpty else { throw .providerError("invalid_request", "no code in the callback") }

        let tokens: TokenResponse
        do {
            tokens = try await exchange(code: code, verifier: verifier)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .unavailable("\(error)")
        }
        let verifierForID = TokenVerifier(
            trustedIssuers: [configuration.issuer], audience: configuration.clientID, keySource: keys)
        let claims: IDTokenClaims
        do {
            claims = try await verifierForID.verify(tokens.id_token ?? "", as: IDTokenClaims.self)
        } catch {
            throw .invalidIDToken("\(error)")
        }
        guard claims.nonce == nonce else { throw .invalidIDToken("nonce mismatch") }
        let user = SignedInUser(
            subject: claims.sub.value, email: claims.email, name: claims.name, userID: claims.userID,
            partnerID: claims.partnerID, roles: claims.roles ?? [], tenant: claims.tenant, markets: claims.markets)
        // The provider's subject, so that its back-channel logout can find this session (see BackChannelLogout).
        session[BackChannelLogout.subjectKey] = user.subject
        return (user, tokens.id_token ?? "", tokens.access_token, returnTo)
    }

    /// Where to send the browser to end the provider's session too, when the provider supports it.
    package func logoutURL(idToken: String?, postLogoutRedirectURI: String) async -> String? {
        guard let endpoint = try? await document().endSessionEndpoint,
            var components = URLComponents(string: endpoint)
        else { return nil }
        components.queryItems =
            [
                URLQueryItem(name: "client_id", value: configuration.clientID),
                URLQueryItem(name: "post_logout_redirect_uri", value: postLogoutRedirectURI),
            ] + (idToken.map { [URLQueryItem(name: "id_token_hint", value: $0)] } ?? [])
        return components.string
    }

    struct TokenResponse: Decodable {
        var access_token: String
        var id_token: String?
        var expires_in: Int?
    }

    private func exchange(code: String, verifier: String) async throws -> TokenResponse {
        var request = HTTPClientRequest(url: try await endpoint("token_endpoint", \.tokenEndpoint))
        request.method = .POST
        TraceContext.current?.stamp(&request)
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        let basic =
            "\(ClientCredentialsTokenSource.formEncode(configuration.clientID)):\(ClientCredentialsTokenSource.formEncode(configuration.clientSecret))"
        request.headers.add(name: "Authorization", value: "Basic \(Data(basic.utf8).base64EncodedString())")
        let form = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", configuration.redirectURI),
            ("code_verifier", verifier),
        ]
        request.body = .bytes(
            ByteBuffer(
                string: form.map { "\($0)=\(ClientCredentialsTokenSource.formEncode($1))" }.joined(separator: "&")))
        var response = try await http.execute(request, timeout: ServiceCallTimeout.amount(10))
        // A load balancer's 502, 503 or 504: the Identity instance that took the exchange went away before it
        // answered. A code is redeemed at most once, so asking once more reaches another instance, which either
        // redeems it or refuses it as used; the person is not sent back to sign in for an instance's death.
        if [.badGateway, .serviceUnavailable, .gatewayTimeout].contains(response.status) {
            _ = try await response.body.collect(upTo: 1 << 20)
            response = try await http.execute(request, timeout: ServiceCallTimeout.amount(10))
        }
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else { throw Failure.tokenExchangeFailed(Int(response.status.code)) }
        return try JSONDecoder().decode(TokenResponse.self, from: Data(buffer: body))
    }
}
