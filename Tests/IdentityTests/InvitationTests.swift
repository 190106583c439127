import Fluent
import Foundation
import IdentityDomain
import Platform
import TestSupport
import Testing
import Vapor

@testable import Identity

@Suite("Invitations: emailed links, their states, and new links for expired ones")
struct InvitationTests {
    typealias Harness = IdentityHarness

    @Test("adding an account emails its owner the invitation with the link the API returns")
    func invitationEmailed() async throws {
        try await Harness.with { idp in
            let created = try await idp.invite("ann.new@sunrise.example", token: try await idp.managementToken())
            let mail = try #require(try await idp.queuedMail().last)
            #expect(mail.to == [MailAddress(name: "Ann Invited", address: "ann.new@sunrise.example")])
            #expect(mail.subject == "You're invited to Express")
            #expect(mail.text.contains("Alex Admin added you to Express for Sunrise Senior Living."))
            #expect(mail.text.contains("Choose your password:\n\(created.link)\n"))
            #expect(mail.text.contains("The link works for 72 hours."))
            #expect(created.link.hasPrefix("http://localhost:8083/express/set-password?token="))
        }
    }

    @Test("sent, then opened when its page is shown, then accepted when a password is chosen, which signs in")
    func stateMachine() async throws {
        try await Harness.with { idp in
            let token = try await idp.managementToken()
            let created = try await idp.invite("ann.new@sunrise.example", token: token)
            #expect(try await idp.invitationState(created.id, token: token) == "sent")

            let browser = TestBrowser(app: idp.app)
            let page = try await browser.send(.GET, try Harness.path(created.link))
            #expect(page.status == .ok)
            #expect(page.text.contains("Choose your password"))
            #expect(try await idp.invitationState(created.id, token: token) == "opened")

            let chosen = try await choose(Harness.chosenPassword, link: created.link, browser)
            #expect(chosen.status == .ok, "\(chosen.text)")
            #expect(chosen.text.contains("Your password is set"))
            #expect(try await idp.invitationState(created.id, token: token) == "accepted")

            idp.hook.stub(
                "ann.new@sunrise.example",
                .allow(
                    HookClaims(userID: "u-ann", partnerID: "5a7e0000-0000-4000-8000-000000000001", roles: ["scheduler"])
                ))
            let signedIn = try await idp.signIn(
                TestBrowser(app: idp.app), .init(), email: "ann.new@sunrise.example", password: Harness.chosenPassword)
            #expect(signedIn.status == .seeOther, "\(signedIn.text)")
        }
    }

    @Test("a link works once: used again it says so and offers sign-in and Forgot password?")
    func singleUse() async throws {
        try await Harness.with { idp in
            let created = try await idp.invite("ann.new@sunrise.example", token: try await idp.managementToken())
            let browser = TestBrowser(app: idp.app)
            #expect(try await choose(Harness.chosenPassword, link: created.link, browser).status == .ok)
            let again = try await choose("another long passphrase here", link: created.link, browser)
            #expect(again.status == .gone)
            #expect(again.text.contains("This link was already used"))
            #expect(again.text.contains("href=\"http://localhost:8083/express/forgot-password\""))
            #expect(!again.text.contains("Send me a new link"))
            let shown = try await browser.send(.GET, try Harness.path(created.link))
            #expect(shown.text.contains("This link was already used"))
        }
    }

    @Test("the password rules apply to the chosen password")
    func rules() async throws {
        try await Harness.with { idp in
            let created = try await idp.invite("ann.new@sunrise.example", token: try await idp.managementToken())
            let short = try await choose("too short", link: created.link, TestBrowser(app: idp.app))
            #expect(short.status == .badRequest)
            #expect(short.text.contains("Choose a password of at least 12 characters."))
        }
    }

    @Test("an expired link offers a new one, which is emailed to the address on file and works")
    func expiredRenewed() async throws {
        try await Harness.with { idp in
            let token = try await idp.managementToken()
            let created = try await idp.invite("ann.new@sunrise.example", token: token)
            idp.clock.advance(72 * 3600 + 1)
            #expect(try await idp.invitationState(created.id, token: token) == "expired")

            let browser = TestBrowser(app: idp.app)
            let page = try await browser.send(.GET, try Harness.path(created.link))
            #expect(page.status == .gone)
            #expect(page.text.contains("This link has expired"))
            #expect(page.text.contains("Send me a new link"))
            #expect(try await choose(Harness.chosenPassword, link: created.link, browser).status == .gone)

            let renewed = try await renew(created.link, browser)
            #expect(renewed.status == .ok)
            #expect(renewed.text.contains("We have sent a new link to the address on file."))
            #expect(!renewed.text.contains("ann.new@sunrise.example"))
            let mail = try #require(try await idp.queuedMail().last)
            #expect(mail.to.map(\.address) == ["ann.new@sunrise.example"])
            #expect(mail.subject == "Your new link to Express")
            #expect(try await idp.invitationState(created.id, token: token) == "sent")

            let fresh = try Harness.linkPath(in: mail)
            #expect(fresh != (try Harness.path(created.link)))
            #expect(try await choose(Harness.chosenPassword, link: fresh, browser).status == .ok)
            #expect(try await idp.invitationState(created.id, token: token) == "accepted")
        }
    }

    @Test("new links for one link: three an hour, then 429 with Retry-After")
    func renewalLimited() async throws {
        try await Harness.with { idp in
            let created = try await idp.invite("ann.new@sunrise.example", token: try await idp.managementToken())
            idp.clock.advance(72 * 3600 + 1)
            let browser = TestBrowser(app: idp.app)
            _ = try await browser.send(.GET, try Harness.path(created.link))
            for _ in 0..<3 { #expect(try await renew(created.link, browser).status == .ok) }
            let refused = try await renew(created.link, browser)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers.first(name: .retryAfter) != nil)
            #expect(try await idp.queuedMail().count == 4)
        }
    }

    @Test("renewing needs the page's CSRF cookie")
    func renewalCSRF() async throws {
        try await Harness.with { idp in
            let created = try await idp.invite("ann.new@sunrise.example", token: try await idp.managementToken())
            idp.clock.advance(72 * 3600 + 1)
            let token = try #require(queryParameters(created.link)["token"])
            let forged = try await TestBrowser(app: idp.app).send(
                .POST, "/express/set-password/renew", form: ["token": token, "csrf": "guess"])
            #expect(forged.status == .forbidden)
            #expect(try await idp.queuedMail().count == 1)
        }
    }

    @Test("a reissued invitation revokes the earlier link, whose page then offers a new one")
    func reissueRevokes() async throws {
        try await Harness.with { idp in
            let token = try await idp.managementToken()
            let created = try await idp.invite("ann.new@sunrise.example", token: token)
            let reissued = try await idp.management(
                .POST, "/express/management/accounts/\(created.id)/invitation", token: token)
            #expect(reissued.status == .created, "\(reissued.text)")
            let link = try #require(reissued.object["set_password_url"] as? String)
            #expect(link != created.link)
            #expect((reissued.object["invitation"] as? [String: Any])?["state"] as? String == "sent")
            #expect(try await idp.queuedMail().last?.text.contains(link) == true)

            let browser = TestBrowser(app: idp.app)
            let old = try await browser.send(.GET, try Harness.path(created.link))
            #expect(old.status == .gone)
            #expect(old.text.contains("This link has expired"))
            #expect(try await idp.invitationState(created.id, token: token) == "sent")
            #expect(try await choose(Harness.chosenPassword, link: link, browser).status == .ok)
        }
    }

    @Test("a deactivated account's expired link sends nothing and points to the administrator")
    func deactivatedNotRenewed() async throws {
        try await Harness.with { idp in
            let token = try await idp.managementToken()
            let created = try await idp.invite("ann.new@sunrise.example", token: token)
            let off = try await idp.management(
                .PATCH, "/express/management/accounts/\(created.id)", json: ["active": false], token: token)
            #expect(off.status == .ok)
            idp.clock.advance(72 * 3600 + 1)
            let page = try await TestBrowser(app: idp.app).send(.GET, try Harness.path(created.link))
            #expect(page.text.contains("Ask your administrator"))
            #expect(!page.text.contains("Send me a new link"))
        }
    }

    /// Opens the link and posts the form with `password` twice.
    private func choose(_ password: String, link: String, _ browser: TestBrowser) async throws -> BrowserResponse {
        let path = link.hasPrefix("/") ? link : try IdentityHarness.path(link)
        _ = try await browser.send(.GET, path)
        return try await browser.send(
            .POST, "/express/set-password",
            form: [
                "token": try #require(queryParameters(path)["token"]), "password": password, "confirm": password,
                "csrf": browser.cookie("idp_csrf") ?? "",
            ])
    }

    private func renew(_ link: String, _ browser: TestBrowser) async throws -> BrowserResponse {
        try await browser.send(
            .POST, "/express/set-password/renew",
            form: [
                "token": try #require(queryParameters(link)["token"]), "csrf": browser.cookie("idp_csrf") ?? "",
            ])
    }
}
