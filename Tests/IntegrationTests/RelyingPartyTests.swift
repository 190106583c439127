import AsyncHTTPClient
import Foundation
import TestSupport
import Testing
import Vapor

@testable import Identity
@testable import Platform

@Suite("Relying party sign-in over real HTTP")
struct RelyingPartyTests {
    func relyingParty(_ idp: RunningIdentity) -> RelyingParty {
        RelyingParty(
            .init(
                issuer: "\(idp.baseURL)/express", clientID: "express-web", clientSecret: idp.secrets["express-web"]!,
                redirectURI: "http://localhost:8080/auth/callback"))
    }

    @Test("an app signs a partner user in through Identity: PKCE, state and nonce, ID token validated")
    func signIn() async throws {
        try await RunningIdentity.with(hook: SunriseHook()) { idp in
            let rp = relyingParty(idp)
            let session = WebSession(id: nil, values: [:], createdAt: Date())
            let url = try await rp.authorizationURL(session: session, returnTo: "/care-requests")
            let browser = TestBrowser.network()
            defer { Task { try? await browser.shutdown() } }
            let page = try await browser.send(.GET, url)
            #expect(page.status == .ok)
            var form = formInputs(page.text).filter { $0.0 != "email" }
            form += [("email", "scheduler@sunrise.example"), ("password", DemoIdentities.password)]
            let redirect = try await browser.send(.POST, "\(idp.baseURL)/express/login", form: form)
            #expect(redirect.status == .seeOther)
            let query = redirectQuery(redirect)
            let result = try await rp.completeSignIn(
                session: session, code: query["code"], state: query["state"], error: nil,
                errorDescription: nil)
            #expect(result.user.email == "scheduler@sunrise.example")
            #expect(result.user.partnerID == "5a7e0000-0000-4000-8000-000000000001")
            #expect(result.user.roles == ["scheduler"])
            #expect(result.returnTo == "/care-requests")
            // The same callback cannot be used twice: its state is spent.
            await #expect(throws: RelyingParty.Failure.stateMismatch) {
                try await rp.completeSignIn(
                    session: session, code: query["code"], state: query["state"], error: nil, errorDescription: nil)
            }
            let logout = await rp.logoutURL(
                idToken: result.idToken, postLogoutRedirectURI: "http://localhost:8080/signed-out")
            #expect(logout?.hasPrefix("\(idp.baseURL)/express/logout") == true)
        }
    }

    @Test("a callback with another session's state is refused before any code is exchanged")
    func forgedState() async throws {
        try await RunningIdentity.with(hook: SunriseHook()) { idp in
            let rp = relyingParty(idp)
            let session = WebSession(id: nil, values: [:], createdAt: Date())
            _ = try await rp.authorizationURL(session: session, returnTo: "/")
            await #expect(throws: RelyingParty.Failure.stateMismatch) {
                try await rp.completeSignIn(
                    session: session, code: "x", state: "forged", error: nil, errorDescription: nil)
            }
        }
    }

    @Test("Station accepts Identity's machine tokens, fetched and checked over HTTP")
    func stationAcceptsIdentityTokens() async throws {
        try await RunningIdentity.with(hook: SunriseHook()) { idp in
            let source = ClientCredentialsTokenSource(
                issuer: "\(idp.baseURL)/staff", clientID: "cli-m2m",
                clientSecret: idp.secrets["cli-m2m"]!, audience: "station", scopes: [])
            let token = try await source.token()
            #expect(try await source.token() == token)
            let verifier = TokenVerifier(
                trustedIssuers: ["\(idp.baseURL)/staff"], audience: "station",
                keySource: DiscoveryJWKSSource(client: .shared))
            let claims = try await verifier.verify(token)
            #expect(claims.scopes.contains("station.dispatch"))
        }
    }
}

/// Third-party OIDC software as the provider for our relying party. Runs when the test command starts
/// `oidc-provider-mock` (PyPI) and names it in SELFSCHED_OIDC_MOCK_URL.
@Suite(
    "Relying party against oidc-provider-mock",
    .enabled(if: ProcessInfo.processInfo.environment["SELFSCHED_OIDC_MOCK_URL"] != nil))
struct ThirdPartyProviderTests {
    @Test("our relying party signs in through a third-party provider and validates its RS256 ID token")
    func signIn() async throws {
        let issuer = ProcessInfo.processInfo.environment["SELFSCHED_OIDC_MOCK_URL"]!
        let browser = TestBrowser.network()
        defer { Task { try? await browser.shutdown() } }
        // The mock takes any client; its users get the claims we give them.
        let sub = "interop-\(UUID().uuidString.prefix(8))"
        var put = HTTPClientRequest(url: "\(issuer)/users/\(sub)")
        put.method = .PUT
        put.headers.add(name: "Content-Type", value: "application/json")
        put.body = .bytes(ByteBuffer(string: #"{"email":"\#(sub)@example.com","name":"Interop User"}"#))
        let stored = try await HTTPClient.shared.execute(put, timeout: .seconds(30))
        #expect(stored.status.code < 300)

        let rp = RelyingParty(
            .init(
                issuer: issuer, clientID: "selfsched-interop", clientSecret: "interop-secret",
                redirectURI: "http://127.0.0.1:8999/callback"))
        let session = WebSession(id: nil, values: [:], createdAt: Date())
        let url = try await rp.authorizationURL(session: session, returnTo: "/home")
        let form = try await browser.send(.GET, url)
        #expect(form.status == .ok)
        let redirect = try await browser.send(.POST, url, form: [("sub", sub)])
        #expect((300..<400).contains(redirect.status.code))
        let query = redirectQuery(redirect)
        let result = try await rp.completeSignIn(
            session: session, code: query["code"], state: query["state"],
            error: query["error"], errorDescription: query["error_description"])
        #expect(result.user.subject == sub)
        #expect(result.user.email == "\(sub)@example.com")
        #expect(result.returnTo == "/home")
    }
}

@Suite("Key rotation reaches the APIs")
struct KeyRotationTests {
    @Test("an API that cached Identity's keys refreshes them when a token names a new kid")
    func refreshOnUnknownKid() async throws {
        // A new key signs once every instance can have published it and the APIs' caches refreshed: here, with
        // short intervals, a fraction of a second after the rotation.
        let adjust: (inout IdentityConfig) -> Void = {
            $0.keyReloadInterval = 0.1
            $0.verifierKeyRefreshInterval = 0
        }
        try await RunningIdentity.with(hook: SunriseHook(), adjust: adjust) { idp in
            let issuer = "\(idp.baseURL)/staff"
            func token() async throws -> String {
                try await ClientCredentialsTokenSource(
                    issuer: issuer, clientID: "cli-m2m",
                    clientSecret: idp.secrets["cli-m2m"]!, audience: "station", scopes: []
                ).token()
            }
            let keys = DiscoveryJWKSSource(client: .shared, minimumRefreshInterval: 0)
            let verifier = TokenVerifier(trustedIssuers: [issuer], audience: "station", keySource: keys)
            #expect(try await verifier.verify(try await token()).clientID == "cli-m2m")
            let cached = try await keys.keys(for: issuer, refresh: false)

            let newKid = try await IdentityApp.rotateKeys(idp.app)
            var after = try await token()
            let deadline = ContinuousClock.now + .seconds(30)
            while keyID(ofToken: after) != newKid && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                after = try await token()
            }
            #expect(keyID(ofToken: after) == newKid)
            #expect(!cached.keys.contains { $0.keyIdentifier?.string == newKid })
            // The key set the API had cached cannot verify the new token: only a refresh can.
            let stale = TokenVerifier(
                trustedIssuers: [issuer], audience: "station", keySource: StaticJWKSSource([issuer: cached]))
            await #expect(throws: TokenRejection.self) { try await stale.verify(after) }
            #expect(try await verifier.verify(after).clientID == "cli-m2m")
        }
    }
}
