import Foundation
import NIOConcurrencyHelpers
import Vapor

@testable import Platform

/// An OpenID provider for sign-in tests, as much of it as a relying party uses, on a real port (the relying party
/// reads its discovery document and exchanges the code over HTTP): discovery, and a token endpoint that answers
/// the sign-in a test approved only when the PKCE verifier matches the browser's challenge. ID tokens are signed
/// by a test key the relying party is given directly.
package final class FakeOpenIDProvider: Sendable {
    /// Who signs in at the provider: the ID token's claims.
    package struct Person: Sendable {
        package var subject: String
        package var tenant: String?
        package var userID: String?
        package var partnerID: String?
        package var roles: [String]

        package init(
            subject: String, tenant: String? = nil, userID: String? = nil, partnerID: String? = nil,
            roles: [String] = []
        ) {
            self.subject = subject
            self.tenant = tenant
            self.userID = userID
            self.partnerID = partnerID
            self.roles = roles
        }
    }

    private struct Approval {
        var nonce: String
        var challenge: String
        var person: Person
    }

    package let issuer: String
    package let clientID: String
    let keys: TestIssuer
    private let approved = NIOLockedValueBox<Approval?>(nil)

    private init(issuer: String, clientID: String) {
        self.issuer = issuer
        self.clientID = clientID
        keys = TestIssuer(issuer: issuer, kid: "provider")
    }

    /// The relying party of an app signing in here.
    package func relyingParty(redirectURI: String) -> RelyingParty {
        RelyingParty(
            .init(issuer: issuer, clientID: clientID, clientSecret: "x", redirectURI: redirectURI),
            keys: keys.keySource)
    }

    /// The browser was sent to `authorizationURL`; `person` signs in there. Returns the callback's query
    /// (`code=…&state=…`) the provider sends the browser back with.
    package func approve(_ authorizationURL: String, as person: Person) throws -> String {
        let query = Dictionary(
            (URLComponents(string: authorizationURL)?.queryItems ?? []).map { ($0.name, $0.value ?? "") },
            uniquingKeysWith: { first, _ in first })
        guard let nonce = query["nonce"], let challenge = query["code_challenge"], let state = query["state"] else {
            throw Abort(.badRequest, reason: "not an authorization URL: \(authorizationURL)")
        }
        approved.withLockedValue { $0 = Approval(nonce: nonce, challenge: challenge, person: person) }
        return "code=the-code&state=\(state)"
    }

    /// A provider at `/<tenant>` on a free port, for the duration of `body`.
    package static func with(
        tenant: String, clientID: String, _ body: (FakeOpenIDProvider) async throws -> Void
    ) async throws {
        let app = try await Application.make(.testing)
        let port = freePort()
        let provider = FakeOpenIDProvider(issuer: "http://127.0.0.1:\(port)/\(tenant)", clientID: clientID)
        provider.routes(app, tenant: tenant)
        try await serving(app, port: port) { _ in try await body(provider) }
    }

    private func routes(_ app: Application, tenant: String) {
        let issuer = issuer
        app.get(.constant(tenant), ".well-known", "openid-configuration") { _ -> Response in
            let json = """
                {"issuer":"\(issuer)","authorization_endpoint":"\(issuer)/authorize","token_endpoint":"\(issuer)/token",\
                "jwks_uri":"\(issuer)/jwks"}
                """
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: json))
        }
        app.post(.constant(tenant), "token") { [self] req async throws -> Response in
            let verifier = try req.content.get(String.self, at: "code_verifier")
            guard let approval = approved.withLockedValue({ $0 }),
                Secrets.pkceChallenge(for: verifier) == approval.challenge
            else { return Response(status: .badRequest) }
            let person = approval.person
            let id = IDTokenClaims(
                iss: .init(value: issuer), sub: .init(value: person.subject), aud: .init(value: [clientID]),
                exp: .init(value: Date().addingTimeInterval(300)), iat: .init(value: Date()), nonce: approval.nonce,
                tenant: person.tenant, userID: person.userID, partnerID: person.partnerID, roles: person.roles)
            let access = try await keys.token(audience: clientID, scopes: [], subject: person.subject)
            let json = """
                {"access_token":"\(access)","id_token":"\(try await keys.sign(id))","token_type":"Bearer","expires_in":300}
                """
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: json))
        }
    }
}
