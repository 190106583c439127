import ConsoleDomain
import Fluent
import Foundation
import NIOConcurrencyHelpers
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import Console
@testable import Platform

/// Staff sign in through the staff tenant: authorization code with PKCE, roles and markets from the ID token.
@Suite("Console sign-in")
struct SignInTests {
    @Test("a signed-out page goes to sign-in, which sends the browser to the staff tenant with PKCE and comes back")
    func signInWithPKCE() async throws {
        try await FakeStaffTenant.with { tenant in
            try await ConsoleHarness.with(station: .stub(StubTransport("Station")), relyingParty: tenant.relyingParty) {
                console in
                let browser = TestBrowser(app: console.app)
                let page = try await browser.get("/help")
                #expect(page.status == .seeOther)
                #expect(page.location == "/sign-in?return=/help")

                let start = try await browser.get("/sign-in?return=/help")
                #expect(start.status == .seeOther)
                let location = try #require(start.location)
                #expect(location.hasPrefix(tenant.issuer + "/authorize?"))
                let query = queryParameters(location)
                #expect(query["client_id"] == "console-web")
                #expect(query["redirect_uri"] == "http://127.0.0.1:8085/auth/callback")
                #expect(query["code_challenge_method"] == "S256")
                let challenge = try #require(query["code_challenge"])
                #expect(query["scope"]?.split(separator: " ").contains("station.triage") == true)
                tenant.approve(nonce: try #require(query["nonce"]), challenge: challenge)

                let callback = try await browser.get(
                    "/auth/callback?code=the-code&state=\(try #require(query["state"]))")
                #expect(callback.status == .seeOther, "\(callback.text)")
                #expect(callback.location == "/help")
                #expect(tenant.verifierMatched)

                let help = try await browser.get("/help")
                #expect(help.status == .ok)
                #expect(help.text.contains("Nia Nurse"))
                #expect(help.text.contains(#"href="/triage""#))
                #expect(try await console.audit("sign_in").first?.staffEmail == "nurse@example.com")
                #expect(try await browser.get("/").location == "/triage")
                // Analytics: identify with the staff id and roles only (no name, no email), nothing else.
                let messages = await console.analytics.messages
                #expect(messages.count == 1)
                #expect(messages.first?.type == .identify && messages.first?.userId == StaffMember.nurse.id)
                #expect(messages.first?.traits == ["roles": .string("nurse")])
            }
        }
    }

    @Test("a callback that does not belong to the browser's sign-in is refused and audited")
    func forgedCallback() async throws {
        try await ConsoleHarness.with(station: .stub(StubTransport("Station"))) { console in
            let browser = TestBrowser(app: console.app)
            let callback = try await browser.get("/auth/callback?code=x&state=forged")
            #expect(callback.status == .badRequest)
            #expect(try await console.audit("sign_in").first?.outcome == "failed")
            #expect(try await browser.get("/help").status == .seeOther)
        }
    }

    @Test("when the access token runs out, the next page sends the staff member through sign-in again")
    func expiredTokenSignsInAgain() async throws {
        try await ConsoleHarness.with(station: .stub(StubTransport("Station"))) { console in
            let fresh = try await console.signIn(as: .dispatcher)
            #expect(try await fresh.get("/help").status == .ok)
            let expiring = try await console.signIn(as: .dispatcher, tokenExpiresIn: 10)
            let page = try await expiring.get("/help")
            #expect(page.status == .seeOther)
            #expect(page.location == "/sign-in?return=/help")
        }
    }

    @Test("a form sent after the access token ran out is kept through sign-in and offered to send again")
    func formSurvivesExpiredToken() async throws {
        try await ConsoleHarness.with(station: .stub(StubTransport("Station"))) { console in
            console.app.grouped(WebSessionMiddleware(cookieName: "console_session", secure: false))
                .grouped(RequireSignIn(now: { Date() })).grouped(RequireCSRF())
                .post("test-note") { _ in "saved" }
            let browser = try await console.signIn(as: .nurse, tokenExpiresIn: 10)
            let sent = try await browser.post("/test-note", ["note": "Called; the patient agreed to 2 pm"])
            #expect(sent.status == .seeOther)
            #expect(sent.location == "/sign-in?return=/resume")

            // Sign-in again (the callback keeps the session's data and stores a fresh token).
            let row = try #require(
                try await WebSessionModel.find(
                    WebSessionMiddleware.hash(browser.cookie("console_session") ?? ""), on: console.app.db))
            row.data[StaffSessionKeys.accessExpires] = String(Int(Date().timeIntervalSince1970) + 600)
            try await row.save(on: console.app.db)

            let resume = try await browser.get("/resume")
            #expect(resume.status == .ok)
            #expect(resume.text.contains(#"action="/test-note""#))
            #expect(resume.text.contains(#"name="note" value="Called; the patient agreed to 2 pm""#))
            // The old CSRF field is not carried over: the sign-out form's and this form's own, nothing else.
            #expect(resume.text.components(separatedBy: #"name="csrf""#).count - 1 == 2)
            #expect(try await browser.post("/test-note", ["note": "Called"]).text == "saved")
            #expect(try await browser.get("/resume").location == "/")
        }
    }

    @Test("sign-out ends the session; Identity's back-channel logout ends every session of that person")
    func signOutAndBackChannel() async throws {
        try await FakeStaffTenant.with { tenant in
            try await ConsoleHarness.with(station: .stub(StubTransport("Station")), relyingParty: tenant.relyingParty) {
                console in
                let browser = try await console.signIn(as: .nurse)
                let out = try await browser.post("/sign-out")
                #expect(out.status == .seeOther)
                #expect(try await browser.get("/help").status == .seeOther)

                let first = try await console.signIn(as: .nurse)
                let second = try await console.signIn(as: .nurse)
                let other = try await console.signIn(as: .dispatcher)
                let token = try await tenant.logoutToken(subject: StaffMember.nurse.id)
                let logout = try await console.app.testing().sendRequest(
                    .POST, "/auth/backchannel-logout", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "logout_token=\(token)"))
                #expect(logout.status == .ok)
                #expect(try await first.get("/help").status == .seeOther)
                #expect(try await second.get("/help").status == .seeOther)
                #expect(try await other.get("/help").status == .ok)
            }
        }
    }
}

/// The staff tenant's OpenID provider, as much of it as sign-in uses: discovery, the token endpoint (which checks
/// the PKCE verifier against the challenge the browser was sent with) and ID tokens signed by a test key.
final class FakeStaffTenant: Sendable {
    let app: Application
    let issuer: String
    let keys: TestIssuer
    private let approved = NIOLockedValueBox<(nonce: String, challenge: String)?>(nil)
    private let matched = NIOLockedValueBox(false)

    init(app: Application, issuer: String) {
        self.app = app
        self.issuer = issuer
        keys = TestIssuer(issuer: issuer, kid: "tenant")
    }

    var relyingParty: RelyingParty {
        RelyingParty(
            .init(
                issuer: issuer, clientID: "console-web", clientSecret: "x",
                redirectURI: "http://127.0.0.1:8085/auth/callback", scopes: ConsoleDependencies.signInScopes),
            keys: keys.keySource)
    }

    /// The person signs in at the provider: the next code exchange answers for this nonce and PKCE challenge.
    func approve(nonce: String, challenge: String) { approved.withLockedValue { $0 = (nonce, challenge) } }

    var verifierMatched: Bool { matched.withLockedValue { $0 } }

    func logoutToken(subject: String) async throws -> String {
        try await keys.sign(LogoutTokenClaims(issuer: issuer, subject: subject, client: "console-web", at: Date()))
    }

    static func with(_ body: (FakeStaffTenant) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        let port = freePort()
        let tenant = FakeStaffTenant(app: app, issuer: "http://127.0.0.1:\(port)/staff")
        tenant.routes()
        app.http.server.configuration.port = port
        app.http.server.configuration.hostname = "127.0.0.1"
        try await serving(app, port: port) { _ in try await body(tenant) }
    }

    private func routes() {
        let issuer = self.issuer
        app.get("staff", ".well-known", "openid-configuration") { _ -> Response in
            let json = """
                {"issuer":"\(issuer)","authorization_endpoint":"\(issuer)/authorize","token_endpoint":"\(issuer)/token",\
                "jwks_uri":"\(issuer)/jwks","end_session_endpoint":"\(issuer)/logout"}
                """
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: json))
        }
        app.post("staff", "token") { [self] req async throws -> Response in
            let verifier = try req.content.get(String.self, at: "code_verifier")
            guard let approval = approved.withLockedValue({ $0 }),
                Secrets.pkceChallenge(for: verifier) == approval.challenge
            else { return Response(status: .badRequest) }
            matched.withLockedValue { $0 = true }
            let nurse = StaffMember.nurse
            let id = IDTokenClaims(
                iss: .init(value: issuer), sub: .init(value: nurse.id), aud: .init(value: ["console-web"]),
                exp: .init(value: Date().addingTimeInterval(300)), iat: .init(value: Date()), nonce: approval.nonce,
                email: nurse.email, name: nurse.name, tenant: "staff", roles: ["nurse"], markets: ["*"])
            let access = try await keys.token(audience: "station", scopes: ["station.triage"], subject: nurse.id)
            let json = """
                {"access_token":"\(access)","id_token":"\(try await keys.sign(id))","token_type":"Bearer","expires_in":300}
                """
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: json))
        }
    }
}
