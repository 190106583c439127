import Foundation
import IdentityDomain
import JWTKit
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Identity

@Suite("Sign-in with authorization code and PKCE")
struct AuthorizationCodeFlowTests {
    typealias Harness = IdentityHarness

    @Test("discovery names the tenant's issuer and S256 only")
    func discovery() async throws {
        try await Harness.with { idp in
            let response = try await idp.app.testing().sendRequest(.GET, "/express/.well-known/openid-configuration")
            #expect(response.object["issuer"] as? String == "http://localhost:8083/express")
            #expect(response.object["code_challenge_methods_supported"] as? [String] == ["S256"])
            let jwks = try await idp.app.testing().sendRequest(.GET, "/express/jwks")
            let keys = try #require(jwks.object["keys"] as? [[String: Any]])
            #expect(keys.count == 1)
            #expect(keys[0]["kid"] != nil && keys[0]["d"] == nil)
            let unknown = try await idp.app.testing().sendRequest(.GET, "/nobody/.well-known/openid-configuration")
            #expect(unknown.status == .notFound)
        }
    }

    @Test("a partner user signs in and gets an ID token and an access token carrying the hook's claims")
    func signIn() async throws {
        try await Harness.with { idp in
            let browser = TestBrowser(app: idp.app)
            let request = Harness.AuthRequest()
            let page = try await browser.send(.GET, request.authorizePath)
            #expect(page.status == .ok)
            #expect(page.text.contains("<label for=\"password\">Password</label>"))
            #expect(page.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)

            let redirect = try await idp.signIn(browser, request, email: "scheduler@sunrise.example")
            #expect(redirect.status == .seeOther)
            let query = redirectQuery(redirect)
            #expect(query["state"] == request.state)
            #expect(query["iss"] == "http://localhost:8083/express")
            let code = try #require(query["code"])
            #expect(redirect.headers.first(name: .location)?.hasPrefix(request.redirectURI) == true)

            let tokens = try await idp.exchange(code, request)
            #expect(tokens.status == .ok, "\(tokens.text)")
            #expect(tokens.headers.first(name: .cacheControl) == "no-store")
            let access = try #require(tokens.object["access_token"] as? String)
            let claims = try await idp.verifier("express", audience: "express").verify(access)
            #expect(claims.partnerID == "5a7e0000-0000-4000-8000-000000000001")
            #expect(claims.userID == "u-scheduler")
            #expect(claims.roles == ["scheduler"])

            let idToken = try #require(tokens.object["id_token"] as? String)
            let keys = JWTKeyCollection()
            try await keys.add(jwks: try await idp.service.keys.jwks())
            let id = try await keys.verify(idToken, as: Identity.IDTokenClaims.self)
            #expect(id.aud.value == ["express-web"])
            #expect(id.nonce == request.nonce)
            #expect(id.email == "scheduler@sunrise.example")
            #expect(id.partnerID == "5a7e0000-0000-4000-8000-000000000001")
        }
    }

    @Test("a second app of the same tenant gets a code without a password (single sign-on)")
    func singleSignOn() async throws {
        try await Harness.with { idp in
            let browser = TestBrowser(app: idp.app)
            _ = try await idp.signIn(browser, Harness.AuthRequest(), email: "scheduler@sunrise.example")
            let oss = Harness.AuthRequest(
                clientID: "oss-partner-web", redirectURI: "http://localhost:8081/partner/auth/callback")
            let second = try await browser.send(.GET, oss.authorizePath)
            #expect(second.status == .seeOther)
            let code = try #require(redirectQuery(second)["code"])
            let tokens = try await idp.exchange(code, oss)
            #expect(tokens.status == .ok)
            // Another tenant's session is separate: the patients tenant still asks for a password.
            let patients = Harness.AuthRequest(
                tenant: "patients", clientID: "oss-d2m-web", redirectURI: "http://localhost:8081/auth/callback")
            #expect(try await browser.send(.GET, patients.authorizePath).status == .ok)
        }
    }

    @Test("a replayed code is refused and the tokens issued from it are revoked")
    func replay() async throws {
        try await Harness.with { idp in
            let browser = TestBrowser(app: idp.app)
            let request = Harness.AuthRequest()
            let code = try #require(
                redirectQuery(try await idp.signIn(browser, request, email: "scheduler@sunrise.example"))["code"])
            let first = try await idp.exchange(code, request)
            let access = try #require(first.object["access_token"] as? String)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = .init(token: access)
            #expect(try await idp.app.testing().sendRequest(.GET, "/express/userinfo", headers: headers).status == .ok)

            let again = try await idp.exchange(code, request)
            #expect(again.status == .badRequest)
            #expect(again.object["error"] as? String == "invalid_grant")
            #expect(
                try await idp.app.testing().sendRequest(.GET, "/express/userinfo", headers: headers).status
                    == .unauthorized)
        }
    }

    @Test(
        "revocation is promised only where it is checked: a replay's tokens stop at userinfo and live five minutes at most"
    )
    func replayBoundedByLifetime() async throws {
        try await Harness.with { idp in
            let request = Harness.AuthRequest()
            let code = try #require(
                redirectQuery(
                    try await idp.signIn(
                        TestBrowser(app: idp.app), request,
                        email: "scheduler@sunrise.example"))["code"])
            let first = try await idp.exchange(code, request)
            #expect(first.object["expires_in"] as? Int == 300)
            let claims = try await idp.verifier("express", audience: "express").verify(
                try #require(first.object["access_token"] as? String))
            #expect(claims.exp.value.timeIntervalSince(try #require(claims.iat?.value)) <= 300)
            let again = try await idp.exchange(code, request)
            let description = try #require(again.object["error_description"] as? String)
            #expect(description.contains("refused at userinfo") && description.contains("expire within 5 minutes"))
        }
    }

    @Test(
        "PKCE and state misuse is refused",
        arguments: [
            ("code_challenge", "", "invalid_request"), ("code_challenge_method", "plain", "invalid_request"),
            ("state", "", "invalid_request"), ("response_type", "token", "unsupported_response_type"),
            ("scope", "email", "invalid_scope"),
        ])
    func authorizeMisuse(field: String, value: String, error: String) async throws {
        try await Harness.with { idp in
            var request = Harness.AuthRequest()
            request.extra[field] = value
            if field == "response_type" { request.extra["response_type"] = value }
            let path =
                "/express/authorize?"
                + formEncoded(request.parameters.merging([field: value]) { $1 }.filter { !$0.value.isEmpty })
            let response = try await TestBrowser(app: idp.app).send(.GET, path)
            #expect(response.status == .seeOther)
            #expect(redirectQuery(response)["error"] == error)
            #expect(response.headers.first(name: .location)?.hasPrefix("http://localhost:8080/auth/callback") == true)
        }
    }

    @Test("an unknown client or an unregistered redirect URI gets an error page, never a redirect")
    func untrustedRedirect() async throws {
        try await Harness.with { idp in
            for request in [
                Harness.AuthRequest(redirectURI: "https://evil.example/cb"), Harness.AuthRequest(clientID: "nobody"),
                Harness.AuthRequest(tenant: "patients"),
            ] {
                let response = try await TestBrowser(app: idp.app).send(.GET, request.authorizePath)
                #expect(response.status == .badRequest)
                #expect(response.headers.first(name: .location) == nil)
                #expect(response.headers.contentType?.subType == "html")
            }
        }
    }

    @Test("a wrong verifier, another client's code, a wrong redirect URI and an expired code are refused")
    func exchangeMisuse() async throws {
        try await Harness.with { idp in
            let request = Harness.AuthRequest()
            func freshCode() async throws -> String {
                let browser = TestBrowser(app: idp.app)
                return try #require(
                    redirectQuery(try await idp.signIn(browser, request, email: "scheduler@sunrise.example"))["code"])
            }
            let wrongVerifier = try await idp.exchange(try await freshCode(), request, verifier: PKCE.makeVerifier())
            #expect(wrongVerifier.object["error"] as? String == "invalid_grant")
            let otherClient = try await idp.exchange(try await freshCode(), request, clientID: "oss-partner-web")
            #expect(otherClient.object["error"] as? String == "invalid_grant")
            var moved = request
            let code = try await freshCode()
            moved.redirectURI = "http://localhost:8080/other"
            #expect(try await idp.exchange(code, moved).object["error"] as? String == "invalid_grant")
            let late = try await freshCode()
            idp.clock.advance(61)
            #expect(try await idp.exchange(late, request).object["error"] as? String == "invalid_grant")
        }
    }

    @Test("the token endpoint answers RFC 6749 errors")
    func tokenErrors() async throws {
        try await Harness.with { idp in
            let badSecret = try await idp.token(
                "express", form: ["grant_type": "authorization_code", "code": "x"],
                basic: ("express-web", "wrong"))
            #expect(badSecret.status == .unauthorized)
            #expect(badSecret.object["error"] as? String == "invalid_client")
            let secret = idp.secrets["express-web"]!
            let grant = try await idp.token("express", form: ["grant_type": "password"], basic: ("express-web", secret))
            #expect(grant.object["error"] as? String == "unsupported_grant_type")
            let missing = try await idp.token(
                "express", form: ["grant_type": "authorization_code"], basic: ("express-web", secret))
            #expect(missing.object["error"] as? String == "invalid_request")
        }
    }
}

@Suite("A code is burnt only by its own client")
struct CodeBurningTests {
    typealias Harness = IdentityHarness

    @Test(
        "a code sent with a wrong redirect URI, by another client or with a wrong verifier still works for its client")
    func wrongCallerDoesNotBurn() async throws {
        try await Harness.with { idp in
            let request = Harness.AuthRequest()
            let code = try #require(
                redirectQuery(
                    try await idp.signIn(
                        TestBrowser(app: idp.app), request,
                        email: "scheduler@sunrise.example"))["code"])
            var moved = request
            moved.redirectURI = "http://localhost:8080/other"
            #expect(try await idp.exchange(code, moved).object["error"] as? String == "invalid_grant")
            #expect(
                try await idp.exchange(code, request, clientID: "oss-partner-web").object["error"] as? String
                    == "invalid_grant")
            #expect(
                try await idp.exchange(code, request, verifier: PKCE.makeVerifier()).object["error"] as? String
                    == "invalid_grant")
            let tokens = try await idp.exchange(code, request)
            #expect(tokens.status == .ok, "\(tokens.text)")
            #expect(tokens.object["access_token"] is String)
        }
    }
}
