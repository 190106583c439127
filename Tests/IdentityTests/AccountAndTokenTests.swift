import Foundation
import JWTKit
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Identity

@Suite("Accounts, machine tokens and keys")
struct AccountAndTokenTests {
    typealias Harness = IdentityHarness

    @Test("a wrong password keeps the email typed and says what to do")
    func wrongPassword() async throws {
        try await Harness.with { idp in
            let response = try await idp.signIn(
                TestBrowser(app: idp.app), Harness.AuthRequest(),
                email: "scheduler@sunrise.example", password: "nope")
            #expect(response.status == .unauthorized)
            #expect(response.text.contains("do not match"))
            #expect(response.text.contains("value=\"scheduler@sunrise.example\""))
        }
    }

    @Test("repeated failures make the account wait a while, even against the right password")
    func lockout() async throws {
        try await Harness.with { idp in
            for _ in 0..<5 {
                _ = try await idp.signIn(
                    TestBrowser(app: idp.app), Harness.AuthRequest(), email: "admin@sunrise.example", password: "guess")
            }
            let locked = try await idp.signIn(
                TestBrowser(app: idp.app), Harness.AuthRequest(), email: "admin@sunrise.example")
            #expect(locked.status == .tooManyRequests)
            #expect(locked.text.contains("Too many sign-in attempts"))
            #expect(locked.headers.first(name: .retryAfter) == "30")
            idp.clock.advance(16 * 60)
            let later = try await idp.signIn(
                TestBrowser(app: idp.app), Harness.AuthRequest(), email: "admin@sunrise.example")
            #expect(later.status == .seeOther)
        }
    }

    @Test("a form without its CSRF token is refused")
    func csrf() async throws {
        try await Harness.with { idp in
            let request = Harness.AuthRequest()
            var form = request.parameters
            form["email"] = "scheduler@sunrise.example"
            form["password"] = DemoIdentities.password
            let response = try await TestBrowser(app: idp.app).send(.POST, "/express/login", form: form)
            #expect(response.status == .forbidden)
            #expect(response.headers.first(name: .location) == nil)
        }
    }

    @Test("the post-login hook can refuse a user, and sign-in fails closed when it is down")
    func hook() async throws {
        try await Harness.with { idp in
            let refused = try await idp.signIn(
                TestBrowser(app: idp.app), Harness.AuthRequest(), email: "viewer@sunrise.example")
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("deactivated"))
            idp.hook.unavailable = true
            let down = try await idp.signIn(
                TestBrowser(app: idp.app), Harness.AuthRequest(), email: "scheduler@sunrise.example")
            #expect(down.status == .serviceUnavailable)
        }
    }

    @Test("patients sign in without the partner hook")
    func patientTenant() async throws {
        try await Harness.with { idp in
            let request = Harness.AuthRequest(
                tenant: "patients", clientID: "oss-d2m-web", redirectURI: "http://localhost:8081/auth/callback")
            let response = try await idp.signIn(TestBrowser(app: idp.app), request, email: "patient@example.com")
            let tokens = try await idp.exchange(try #require(redirectQuery(response)["code"]), request)
            let claims = try await idp.verifier("patients", audience: "oss").verify(
                try #require(tokens.object["access_token"] as? String))
            #expect(claims.tenant == "patients")
            #expect(claims.partnerID == nil)
            // A patient's token is not a partner user's: the express issuer does not accept it.
            await #expect(throws: TokenRejection.untrustedIssuer) {
                try await idp.verifier("express", audience: "oss").verify(
                    try #require(tokens.object["access_token"] as? String))
            }
        }
    }

    @Test("machine clients get tokens for their own audiences and scopes only")
    func clientCredentials() async throws {
        try await Harness.with { idp in
            let credentials = ("express-m2m", idp.secrets["express-m2m"]!)
            let ok = try await idp.token(
                "staff",
                form: [
                    "grant_type": "client_credentials", "audience": "station",
                    "scope": "station.care_requests.read",
                ], basic: credentials)
            #expect(ok.status == .ok, "\(ok.text)")
            let claims = try await idp.verifier("staff", audience: "station").verify(
                try #require(ok.object["access_token"] as? String))
            #expect(claims.scopes == ["station.care_requests.read"])
            #expect(claims.clientID == "express-m2m")

            let scope = try await idp.token(
                "staff",
                form: [
                    "grant_type": "client_credentials", "audience": "station",
                    "scope": "station.dispatch",
                ], basic: credentials)
            #expect(scope.object["error"] as? String == "invalid_scope")
            let target = try await idp.token(
                "staff", form: ["grant_type": "client_credentials", "audience": "policy"], basic: credentials)
            #expect(target.object["error"] as? String == "invalid_target")
            let webClient = try await idp.token(
                "express", form: ["grant_type": "client_credentials", "audience": "station"],
                basic: ("express-web", idp.secrets["express-web"]!))
            #expect(webClient.object["error"] as? String == "unauthorized_client")
        }
    }

    @Test("after rotation new tokens use the new key and old tokens still verify")
    func rotation() async throws {
        try await Harness.with { idp in
            let credentials = ("cli-m2m", idp.secrets["cli-m2m"]!)
            let form = ["grant_type": "client_credentials", "audience": "station"]
            let before = try #require(
                try await idp.token("staff", form: form, basic: credentials).object["access_token"] as? String)
            let kid = try await IdentityApp.rotateKeys(idp.app)
            idp.clock.advance(idp.config.keyActivationDelay + 1)
            let after = try #require(
                try await idp.token("staff", form: form, basic: credentials).object["access_token"] as? String)
            let jwks = try await idp.service.keys.jwks(now: idp.clock.now)
            #expect(jwks.keys.count == 2)
            let verifier = try await idp.verifier("staff", audience: "station")
            _ = try await verifier.verify(before)
            _ = try await verifier.verify(after)
            #expect(
                after.split(separator: ".").first.flatMap { Data(base64Encoded: String($0) + "==") }
                    .map { String(decoding: $0, as: UTF8.self).contains(kid) } ?? false)
        }
    }

    @Test("logout ends single sign-on and returns only to a registered address")
    func logout() async throws {
        try await Harness.with { idp in
            let browser = TestBrowser(app: idp.app)
            _ = try await idp.signIn(browser, Harness.AuthRequest(), email: "scheduler@sunrise.example")
            let out = try await browser.send(
                .GET,
                "/express/logout?client_id=express-web&post_logout_redirect_uri="
                    + "http%3A%2F%2Flocalhost%3A8080%2Fsigned-out&state=abc")
            #expect(out.status == .seeOther)
            #expect(out.headers.first(name: .location) == "http://localhost:8080/signed-out?state=abc")
            #expect(try await browser.send(.GET, Harness.AuthRequest().authorizePath).status == .ok)
            let elsewhere = try await browser.send(
                .GET, "/express/logout?client_id=express-web&post_logout_redirect_uri=https%3A%2F%2Fevil.example")
            #expect(elsewhere.status == .ok)
            #expect(elsewhere.headers.first(name: .location) == nil)
        }
    }
}

@Suite("Configured identities")
struct ConfiguredIdentitiesTests {
    @Test("clients and accounts from a configuration file work, their secrets from the environment")
    func configured() async throws {
        try await IdentityHarness.with { idp in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("ids-\(UUID().uuidString).json")
            try Data(
                #"""
                {"clients":[{"id":"nurse-app","tenant":"staff","name":"Nurse app","secret_env":"NURSE_APP_SECRET",
                  "redirect_uris":["https://nurse.example/cb"],"grant_types":["authorization_code"],"user_audience":"station"}],
                 "accounts":[{"tenant":"staff","email":"Nia@Example.com","name":"Nia Nurse","password_env":"NIA_PASSWORD"}]}
                """#.utf8
            ).write(to: file)
            let config = try ConfiguredIdentities.load(file.path)
            await #expect(throws: ConfigurationError.self) {
                try await config.register(with: idp.service, environment: [:])
            }
            try await config.register(
                with: idp.service, environment: ["NURSE_APP_SECRET": "s3cret-app", "NIA_PASSWORD": "nia-password-1"])
            let request = IdentityHarness.AuthRequest(
                tenant: "staff", clientID: "nurse-app", redirectURI: "https://nurse.example/cb")
            let response = try await idp.signIn(
                TestBrowser(app: idp.app), request, email: "nia@example.com",
                password: "nia-password-1")
            let code = try #require(redirectQuery(response)["code"])
            var headers = HTTPHeaders()
            headers.basicAuthorization = BasicAuthorization(username: "nurse-app", password: "s3cret-app")
            headers.contentType = .urlEncodedForm
            let tokens = try await idp.app.testing().sendRequest(
                .POST, "/staff/token", headers: headers,
                body: ByteBuffer(
                    string:
                        formEncoded([
                            "grant_type": "authorization_code", "code": code, "redirect_uri": request.redirectURI,
                            "code_verifier": request.verifier,
                        ])))
            #expect(tokens.status == .ok)
        }
    }
}
