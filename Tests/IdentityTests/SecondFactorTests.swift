import Fluent
import Foundation
import IdentityDomain
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Identity

@Suite("Second factor: enrolment, the code step, recovery codes, replay and throttling")
struct SecondFactorTests {
    typealias Harness = IdentityHarness

    /// A partner admin the hook knows, without a second factor yet.
    static func newAdmin(_ idp: Harness, _ email: String = "ada@sunrise.example") async throws {
        try await idp.addAccount(.express, email: email)
        idp.hook.stub(
            email,
            .allow(HookClaims(userID: "u-ada", partnerID: "5a7e0000-0000-4000-8000-000000000001", roles: ["admin"])))
    }

    static func codes(_ page: String) -> [String] {
        page.matches(of: /<li><code>([a-z2-7]{4}-[a-z2-7]{4})<\/code><\/li>/).map { String($0.output.1) }
    }

    func post(_ browser: TestBrowser, _ path: String, _ form: [String: String]) async throws -> BrowserResponse {
        var form = form
        form["csrf"] = browser.cookie("idp_csrf") ?? ""
        return try await browser.send(.POST, path, form: form)
    }

    @Test("a partner admin without it sets it up at sign-in: setup key, otpauth link, code, ten recovery codes")
    func requiredEnrolment() async throws {
        try await Harness.with { idp in
            try await Self.newAdmin(idp)
            let browser = TestBrowser(app: idp.app)
            let request = Harness.AuthRequest()
            let page = try await idp.signIn(browser, request, email: "ada@sunrise.example", secondFactor: false)
            #expect(page.status == .ok)
            #expect(page.text.contains("<h1>Set up two-step sign-in</h1>"))
            #expect(page.text.contains("<dt>Setup key</dt>"))
            #expect(page.text.contains(#"<label for="code">Authentication code</label>"#))
            #expect(page.text.contains(#"inputmode="numeric" autocomplete="one-time-code""#))
            #expect(page.text.contains("Turn on two-step sign-in"))
            let key = try Harness.setupKey(page.text)
            let grouped = try #require(page.text.firstMatch(of: /<code id="setup-key">([A-Z2-7 ]+)<\/code>/)).output.1
            #expect(String(grouped).split(separator: " ").map(\.count) == [4, 4, 4, 4, 4, 4, 4, 4])
            // The otpauth URI as a link and as text (HTML-escaped in the page).
            let uri =
                "otpauth://totp/SelfScheduling:ada%40sunrise.example?secret=\(key)&amp;issuer=SelfScheduling"
                + "&amp;algorithm=SHA1&amp;digits=6&amp;period=30"
            #expect(page.text.contains(#"href="\#(uri)">\#(uri)</a>"#))
            // Not on until a code proves the app has the secret.
            #expect(
                try await idp.service.account(email: "ada@sunrise.example", tenant: .express)?.totpEnrolledAt == nil)

            let wrong = try await post(browser, "/express/second-factor/enrol", ["code": "000000"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains(#"role="alert" id="code-error""#))
            #expect(wrong.text.contains(#"aria-invalid="true" aria-describedby="code-error""#))
            #expect(try Harness.setupKey(wrong.text) == key)

            let secret = TOTP(secret: try #require(Base32.decode(key)))
            let shown = try await post(
                browser, "/express/second-factor/enrol", ["code": secret.code(at: idp.clock.now)])
            #expect(shown.status == .ok)
            let codes = Self.codes(shown.text)
            #expect(codes.count == 10)
            let account = try #require(try await idp.service.account(email: "ada@sunrise.example", tenant: .express))
            #expect(account.totpEnrolledAt != nil)
            // Stored sealed and hashed: neither the setup key nor a recovery code is in the row.
            #expect(account.totpSecret?.contains(key) == false)
            #expect(codes.allSatisfy { account.recoveryCodes?.contains($0) == false })
            #expect(RecoveryCodes(stored: account.recoveryCodes).hashes.count == 10)
            let keyFile = SealingKeyFile.url(dataDirectory: idp.config.dataDirectory).path
            let mode = try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int
            #expect(mode == 0o600)

            let done = try await post(browser, "/express/second-factor/continue", [:])
            let code = try #require(redirectQuery(done)["code"], "\(done.status) \(done.text)")
            #expect(try await idp.exchange(code, request).status == .ok)
            // The code that turned it on does not sign in again.
            let next = try await idp.signIn(
                browser, Harness.AuthRequest(extra: ["prompt": "login"]),
                email: "ada@sunrise.example", secondFactor: false)
            #expect(next.text.contains("Enter the 6-digit code from your authenticator app"))
            let replay = try await post(browser, "/express/second-factor", ["code": secret.code(at: idp.clock.now)])
            #expect(replay.status == .unauthorized)
        }
    }

    @Test("an enrolled demo admin is asked for a code; a wrong one is refused, the right one signs in once")
    func codeStep() async throws {
        try await Harness.with { idp in
            let browser = TestBrowser(app: idp.app)
            let request = Harness.AuthRequest()
            let page = try await idp.signIn(browser, request, email: "admin@sunrise.example", secondFactor: false)
            #expect(page.status == .ok)
            #expect(page.text.contains("<h1>Enter the 6-digit code from your authenticator app</h1>"))
            #expect(page.text.contains(#"<label for="code">Authentication code</label>"#))
            #expect(page.text.contains(#"inputmode="numeric" autocomplete="one-time-code""#))
            #expect(page.text.contains(">Verify</button>"))
            #expect(page.text.contains(#"<a href="/express/second-factor/recovery">Use a recovery code</a>"#))
            // No code yet, no sign-in: Identity has no session for this browser.
            #expect(browser.cookie("idp_sso_express") == nil)

            let wrong = try await post(browser, "/express/second-factor", ["code": "123456"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("That code did not work"))

            // The demo secret is public: the code is what any authenticator app shows for it.
            let demo = TOTP(secret: try #require(Base32.decode(DemoIdentities.totpSecret)))
            let code = demo.code(at: idp.clock.now)
            let signedIn = try await post(browser, "/express/second-factor", ["code": code])
            let authorization = try #require(redirectQuery(signedIn)["code"], "\(signedIn.status) \(signedIn.text)")
            let tokens = try await idp.exchange(authorization, request)
            #expect(tokens.status == .ok)

            // Someone who saw the code cannot use it again, even with the password.
            let other = TestBrowser(app: idp.app)
            _ = try await idp.signIn(other, Harness.AuthRequest(), email: "admin@sunrise.example", secondFactor: false)
            #expect(try await post(other, "/express/second-factor", ["code": code]).status == .unauthorized)
        }
    }

    @Test("wrong codes count in the sign-in throttle, and a right password does not give fresh guesses")
    func throttled() async throws {
        try await Harness.with { idp in
            let browser = TestBrowser(app: idp.app)
            _ = try await idp.signIn(
                browser, Harness.AuthRequest(), email: "admin@sunrise.example", secondFactor: false)
            for _ in 0..<4 {
                #expect(try await post(browser, "/express/second-factor", ["code": "000000"]).status == .unauthorized)
            }
            let again = TestBrowser(app: idp.app)
            let page = try await idp.signIn(
                again, Harness.AuthRequest(), email: "admin@sunrise.example", secondFactor: false)
            #expect(page.text.contains("Enter the 6-digit code"))
            #expect(try await post(again, "/express/second-factor", ["code": "000000"]).status == .unauthorized)
            let right = try await idp.nextCode(email: "admin@sunrise.example", tenant: .express)
            let waiting = try await post(again, "/express/second-factor", ["code": right])
            #expect(waiting.status == .tooManyRequests)
            #expect(waiting.headers.first(name: .retryAfter) == "30")
            #expect(waiting.text.contains("Too many attempts"))
            idp.clock.advance(31)
            let code = try await idp.nextCode(email: "admin@sunrise.example", tenant: .express)
            #expect(try await post(again, "/express/second-factor", ["code": code]).status == .seeOther)
        }
    }

    @Test("a recovery code signs in instead of the app's code, once")
    func recoveryCode() async throws {
        try await Harness.with { idp in
            try await Self.newAdmin(idp)
            let browser = TestBrowser(app: idp.app)
            let page = try await idp.signIn(
                browser, Harness.AuthRequest(), email: "ada@sunrise.example", secondFactor: false)
            let secret = TOTP(secret: try #require(Base32.decode(Harness.setupKey(page.text))))
            let codes = Self.codes(
                try await post(browser, "/express/second-factor/enrol", ["code": secret.code(at: idp.clock.now)]).text)
            _ = try await post(browser, "/express/second-factor/continue", [:])

            for expected in [HTTPStatus.seeOther, .unauthorized] {
                let other = TestBrowser(app: idp.app)
                _ = try await idp.signIn(
                    other, Harness.AuthRequest(), email: "ada@sunrise.example", secondFactor: false)
                let form = try await other.send(.GET, "/express/second-factor/recovery")
                #expect(form.text.contains(#"<label for="recovery_code">Recovery code</label>"#))
                let answer = try await post(other, "/express/second-factor", ["recovery_code": codes[2].uppercased()])
                #expect(answer.status == expected)
            }
            let account = try #require(try await idp.service.account(email: "ada@sunrise.example", tenant: .express))
            #expect(RecoveryCodes(stored: account.recoveryCodes).hashes.count == 9)
        }
    }

    @Test("schedulers and patients are not asked; the security page lets them turn it on, and then they are")
    func offered() async throws {
        try await Harness.with { idp in
            let browser = TestBrowser(app: idp.app)
            let signedIn = try await idp.signIn(
                browser, Harness.AuthRequest(), email: "scheduler@sunrise.example", secondFactor: false)
            #expect(signedIn.status == .seeOther)
            let page = try await browser.send(.GET, "/express/account/security")
            #expect(page.text.contains("<h1>Set up two-step sign-in</h1>"))
            let secret = TOTP(secret: try #require(Base32.decode(Harness.setupKey(page.text))))
            let codes = try await post(
                browser, "/express/second-factor/enrol", ["code": secret.code(at: idp.clock.now)])
            #expect(Self.codes(codes.text).count == 10)
            let done = try await post(browser, "/express/second-factor/continue", [:])
            #expect(done.text.contains("Two-step sign-in is on"))
            #expect(try await browser.send(.GET, "/express/account/security").text.contains("Recovery codes left: 10"))
            let next = try await idp.signIn(
                TestBrowser(app: idp.app), Harness.AuthRequest(), email: "scheduler@sunrise.example",
                secondFactor: false)
            #expect(next.text.contains("Enter the 6-digit code"))

            let patients = Harness.AuthRequest(
                tenant: "patients", clientID: "oss-d2m-web", redirectURI: "http://localhost:8081/auth/callback")
            let patient = TestBrowser(app: idp.app)
            #expect(
                try await idp.signIn(patient, patients, email: "patient@example.com", secondFactor: false).status
                    == .seeOther)
            // Without a session at Identity, the page asks for the password first.
            let stranger = TestBrowser(app: idp.app)
            let form = try await stranger.send(.GET, "/patients/account/security")
            #expect(form.text.contains(#"<label for="password">Password</label>"#))
            let refused = try await post(
                stranger, "/patients/account/security", ["email": "patient@example.com", "password": "wrong-guess"])
            #expect(refused.status == .unauthorized)
            #expect(refused.text.contains(#"role="alert" id="security-error""#))
            let enrol = try await post(
                stranger, "/patients/account/security",
                ["email": "patient@example.com", "password": DemoIdentities.password])
            #expect(enrol.text.contains("<h1>Set up two-step sign-in</h1>"))
        }
    }

    @Test("the demo staff and partner admins are seeded with the public demo secret; other demo accounts are not")
    func demoSeeded() async throws {
        try await Harness.with { idp in
            let box = try idp.service.totpBox()
            let demo = try #require(Base32.decode(DemoIdentities.totpSecret))
            for account in DemoIdentities.accounts {
                let model = try #require(try await idp.service.account(email: account.email, tenant: account.tenant))
                let secret = try model.totpSecret.map { try #require(box.open($0, account: model.requireID())) }
                #expect(secret?.secret == (account.hasSecondFactor ? demo : nil), "\(account.email)")
            }
            #expect(
                Set(DemoIdentities.accounts.filter(\.hasSecondFactor).map(\.email)) == [
                    "admin@sunrise.example", "admin@mercy.example", "nurse@example.com", "dispatcher@example.com",
                    "ops@example.com",
                ])
        }
    }

    @Test("the code step waits ten minutes, then the sign-in starts again")
    func expires() async throws {
        try await Harness.with { idp in
            let browser = TestBrowser(app: idp.app)
            _ = try await idp.signIn(browser, StaffSignInTests.console, email: "nurse@example.com", secondFactor: false)
            idp.clock.advance(11 * 60)
            let code = try await idp.nextCode(email: "nurse@example.com", tenant: .staff)
            let late = try await post(browser, "/staff/second-factor", ["code": code])
            #expect(late.status == .badRequest)
            #expect(late.text.contains("Your sign-in has expired"))
            #expect(late.headers.first(name: .location) == nil)
        }
    }
}
