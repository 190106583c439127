import Fluent
import Foundation
import IdentityDomain
import Platform
import TestSupport
import Testing
import Vapor

@testable import Identity

@Suite("Forgot password: emailed single-use links, no account discovery, rate limits")
struct RecoveryTests {
    typealias Harness = IdentityHarness
    static let newPassword = "lantern orbit pebble"

    /// Asks for a link for the demo scheduler and returns its path.
    func resetLink(_ idp: Harness) async throws -> String {
        #expect(try await idp.forgot("scheduler@sunrise.example").status == .ok)
        let mail = try #require(try await idp.queuedMail().last)
        #expect(mail.to.map(\.address) == ["scheduler@sunrise.example"])
        return try idp.link(in: mail, to: "reset-password")
    }

    /// Opens the link's form and posts a new password.
    func reset(_ idp: Harness, _ link: String, password: String = newPassword, browser: TestBrowser? = nil)
        async throws -> BrowserResponse
    {
        let token = String(try #require(link.split(separator: "token=").last))
        return try await idp.submit(
            browser ?? TestBrowser(app: idp.app), page: link, to: "/express/reset-password",
            ["token": token, "password": password, "confirm": password])
    }

    @Test("a known and an unknown address get the same answer, after the same work: one token row and one email each")
    func noAccountDiscovery() async throws {
        try await Harness.with { idp in
            let known = try await idp.forgot("scheduler@sunrise.example")
            let unknown = try await idp.forgot("nobody@sunrise.example")
            #expect(known.status == .ok)
            #expect(known.status == unknown.status)
            #expect(known.comparableText == unknown.comparableText)
            #expect(
                known.text.contains(
                    "If an account uses this address, we have sent a link to reset its password. It works for 30 minutes."
                ))
            #expect(try await idp.tokenRows() == 2)
            let mail = try await idp.queuedMail()
            #expect(mail.count == 2)
            #expect(mail[0].text.contains("/express/reset-password?token="))
            #expect(mail[1].to.map(\.address) == ["nobody@sunrise.example"])
            #expect(
                mail[1].text.contains(
                    "You asked to reset a password at SelfScheduling, but no account uses this address."))
            #expect(!mail[1].text.contains("token="))
        }
    }

    @Test("an unknown address at the patients tenant is offered sign-up")
    func unknownPatientOfferedSignUp() async throws {
        try await Harness.with { idp in
            #expect(try await idp.forgot("new@example.com", tenant: "patients").status == .ok)
            let mail = try #require(try await idp.queuedMail().last)
            #expect(mail.text.contains("http://localhost:8083/patients/sign-up"))
        }
    }

    @Test("the link sets a new password once: the old password and a second use are refused")
    func singleUse() async throws {
        try await Harness.with { idp in
            try await idp.withoutBackChannel()
            let link = try await resetLink(idp)
            let page = try await TestBrowser(app: idp.app).send(.GET, link)
            #expect(page.status == .ok)
            #expect(page.text.contains("New password") && page.text.contains("Confirm new password"))
            let done = try await reset(idp, link)
            #expect(done.status == .ok)
            #expect(done.text.contains("Your password is changed"))
            #expect(done.text.contains("href=\"http://localhost:8080\""))

            let again = try await reset(idp, link, password: "another fresh phrase")
            #expect(again.status == .gone)
            #expect(again.text.contains("This link has expired") && again.text.contains("Send me a new link"))
            let old = try await idp.signIn(TestBrowser(app: idp.app), .init(), email: "scheduler@sunrise.example")
            #expect(old.status == .unauthorized)
            let new = try await idp.signIn(
                TestBrowser(app: idp.app), .init(), email: "scheduler@sunrise.example", password: Self.newPassword)
            #expect(new.status == .seeOther)
        }
    }

    @Test("the link expires after 30 minutes")
    func expiry() async throws {
        try await Harness.with { idp in
            let link = try await resetLink(idp)
            idp.clock.advance(29 * 60)
            #expect(try await TestBrowser(app: idp.app).send(.GET, link).status == .ok)
            idp.clock.advance(61)
            #expect(try await TestBrowser(app: idp.app).send(.GET, link).status == .gone)
            #expect(try await reset(idp, link).status == .gone)
        }
    }

    @Test("a new link voids the older one")
    func newLinkVoidsOld() async throws {
        try await Harness.with { idp in
            try await idp.withoutBackChannel()
            let first = try await resetLink(idp)
            let second = try await resetLink(idp)
            #expect(try await reset(idp, first).status == .gone)
            #expect(try await reset(idp, second).status == .ok)
        }
    }

    @Test("the new password follows the rules")
    func rules() async throws {
        try await Harness.with { idp in
            let link = try await resetLink(idp)
            let common = try await reset(idp, link, password: "qwerty123456")
            #expect(common.status == .badRequest)
            #expect(common.text.contains("This password is too common."))
            #expect(common.text.contains("role=\"alert\""))
            let short = try await reset(idp, link, password: "short")
            #expect(short.text.contains("Choose a password of at least 12 characters."))
        }
    }

    @Test("after a reset, a browser signed in before must sign in again")
    func otherSessionsEnd() async throws {
        try await Harness.with { idp in
            try await idp.withoutBackChannel()
            let before = TestBrowser(app: idp.app)
            #expect(
                try await idp.signIn(before, .init(), email: "scheduler@sunrise.example").status == .seeOther)
            // The SSO cookie skips the form for a second app…
            #expect(try await before.send(.GET, Harness.AuthRequest().authorizePath).status == .seeOther)
            #expect(try await reset(idp, try await resetLink(idp)).status == .ok)
            // …until the reset ends that session.
            let after = try await before.send(.GET, Harness.AuthRequest().authorizePath)
            #expect(after.status == .ok)
            #expect(after.text.contains("<h1>Sign in</h1>"))
        }
    }

    @Test("after a reset, every app of the tenant is told to end the person's sessions (back-channel logout)")
    func appsToldAfterReset() async throws {
        let receiver = BackChannelLogoutTests.Receiver()
        let app = try await Application.make(.testing)
        app.post("bcl") { req -> HTTPStatus in
            receiver.add(try req.content.get(String.self, at: "logout_token"))
            return .ok
        }
        let port = try await startOnAnyPort(app)
        do {
            try await Harness.with { idp in
                try await idp.withoutBackChannel()
                try await ClientModel.query(on: idp.app.db).filter(\.$id ~~ ["express-web", "oss-partner-web"])
                    .set(\.$backchannelLogoutURI, to: "http://127.0.0.1:\(port)/bcl").update()
                #expect(try await reset(idp, try await resetLink(idp)).status == .ok)
                #expect(receiver.received.count == 2)
            }
        } catch {
            await app.server.shutdown()
            try await app.asyncShutdown()
            throw error
        }
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    @Test("three links an hour for one address, then 429 with Retry-After, for known and unknown addresses alike")
    func perAddressLimit() async throws {
        try await Harness.with { idp in
            func answers(_ email: String) async throws -> [String] {
                var seen: [String] = []
                for _ in 0..<4 {
                    let response = try await idp.forgot(email)
                    seen.append("\(response.status.code) \(response.headers.first(name: .retryAfter) ?? "-")")
                }
                return seen
            }
            let known = try await answers("scheduler@sunrise.example")
            let unknown = try await answers("nobody@sunrise.example")
            #expect(known == ["200 -", "200 -", "200 -", "429 1200"])
            #expect(known == unknown)
            #expect(try await idp.queuedMail().count == 6)
            idp.clock.advance(1201)
            #expect(try await idp.forgot("scheduler@sunrise.example").status == .ok)
        }
    }

    @Test("one client address gets twenty links over any addresses, then waits")
    func perClientLimit() async throws {
        try await Harness.with { idp in
            for index in 0..<20 {
                #expect(try await idp.forgot("person\(index)@example.com").status == .ok)
            }
            let refused = try await idp.forgot("person20@example.com")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers.first(name: .retryAfter) != nil)
            #expect(try await idp.queuedMail().count == 20)
        }
    }

    @Test("the login page links to Forgot password? with the app's request, and the forgot page leads back to it")
    func linksCarryTheRequest() async throws {
        try await Harness.with { idp in
            let browser = TestBrowser(app: idp.app)
            let login = try await browser.send(.GET, Harness.AuthRequest().authorizePath)
            let href = try #require(login.text.firstMatch(of: /href="(\/express\/forgot-password\?[^"]*)"/)?.1)
            #expect(!login.text.contains("Create an account"))
            let forgot = try await browser.send(.GET, String(href).replacing("&amp;", with: "&"))
            #expect(forgot.status == .ok)
            #expect(forgot.text.contains("<label for=\"email\">Email</label>"))
            #expect(forgot.text.contains("Send reset link"))
            #expect(forgot.text.contains("href=\"http://localhost:8083/express/authorize?client_id=express-web&amp;"))
        }
    }
}
