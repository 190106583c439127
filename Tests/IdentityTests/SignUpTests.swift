import Fluent
import Foundation
import IdentityDomain
import Platform
import TestSupport
import Testing
import Vapor

@testable import Identity

@Suite("Patients sign up and confirm their email")
struct SignUpTests {
    typealias Harness = IdentityHarness
    static let password = "meadow cobalt whistle"
    static let patients = Harness.AuthRequest(
        tenant: "patients", clientID: "oss-d2m-web", redirectURI: "http://localhost:8081/auth/callback")

    func signUp(_ idp: Harness, email: String = "dana@example.com", password: String = password) async throws
        -> BrowserResponse
    {
        try await idp.submit(
            TestBrowser(app: idp.app), page: "/patients/sign-up", to: "/patients/sign-up",
            ["name": "Dana Reyes", "email": email, "password": password, "confirm": password])
    }

    @Test("sign up, refused at sign-in until confirmed, confirm through the emailed link, then sign in")
    func signUpVerifySignIn() async throws {
        try await Harness.with { idp in
            let form = try await TestBrowser(app: idp.app).send(.GET, "/patients/sign-up")
            for label in ["Your name", "Email", "Password", "Confirm password", "Create account"] {
                #expect(form.text.contains(label))
            }
            let answer = try await signUp(idp)
            #expect(answer.status == .ok)
            #expect(answer.text.contains("We have sent a link to confirm your email address. It works for 24 hours."))
            let account = try #require(try await idp.service.account(email: "dana@example.com", tenant: .patients))
            #expect(account.emailVerifiedAt == nil)

            let early = try await idp.signIn(
                TestBrowser(app: idp.app), Self.patients, email: "dana@example.com", password: Self.password)
            #expect(early.status == .forbidden)
            #expect(early.text.contains("Confirm your email first") && early.text.contains("Send the link again"))

            let mail = try #require(try await idp.queuedMail().last)
            #expect(mail.to.map(\.address) == ["dana@example.com"])
            let confirmed = try await TestBrowser(app: idp.app).send(.GET, try idp.link(in: mail, to: "verify-email"))
            #expect(confirmed.status == .ok)
            #expect(confirmed.text.contains("Your email is confirmed") && confirmed.text.contains("Continue"))
            #expect(confirmed.text.contains("href=\"http://localhost:8081/\""))

            let signedIn = try await idp.signIn(
                TestBrowser(app: idp.app), Self.patients, email: "dana@example.com", password: Self.password)
            #expect(signedIn.status == .seeOther)
            #expect(redirectQuery(signedIn)["code"] != nil)
            // The link worked once.
            #expect(
                try await TestBrowser(app: idp.app).send(.GET, try idp.link(in: mail, to: "verify-email")).status
                    == .gone)
        }
    }

    @Test("an address that has an account gets the same answer, and its owner an email saying so")
    func existingAddress() async throws {
        try await Harness.with { idp in
            let fresh = try await signUp(idp, email: "dana@example.com")
            let taken = try await signUp(idp, email: "patient@example.com")
            #expect(taken.status == fresh.status)
            #expect(taken.comparableText == fresh.comparableText)
            #expect(try await idp.tokenRows() == 2)
            let mail = try #require(try await idp.queuedMail().last)
            #expect(mail.to.map(\.address) == ["patient@example.com"])
            #expect(mail.text.contains("Someone tried to create an account with this address; you already have one"))
            #expect(mail.text.contains("/patients/forgot-password"))
            // The existing account keeps its password.
            let signedIn = try await idp.signIn(TestBrowser(app: idp.app), Self.patients, email: "patient@example.com")
            #expect(signedIn.status == .seeOther)
        }
    }

    @Test("the password follows the rules, and the two must match")
    func rules() async throws {
        try await Harness.with { idp in
            let named = try await signUp(idp, email: "meadowlark@example.com", password: "my meadowlark song")
            #expect(named.status == .badRequest)
            #expect(named.text.contains("Your password must not contain your email address"))
            #expect(named.text.contains("aria-invalid=\"true\""))
            let mismatch = try await idp.submit(
                TestBrowser(app: idp.app), page: "/patients/sign-up", to: "/patients/sign-up",
                ["name": "Dana", "email": "dana@example.com", "password": Self.password, "confirm": "something else"])
            #expect(mismatch.text.contains("The two passwords do not match."))
            #expect(try await idp.tokenRows() == 0)
        }
    }

    @Test("'Send the link again' emails a new link that confirms the address")
    func resend() async throws {
        try await Harness.with { idp in
            _ = try await signUp(idp)
            let browser = TestBrowser(app: idp.app)
            let refused = try await idp.signIn(
                browser, Self.patients, email: "dana@example.com", password: Self.password)
            #expect(refused.status == .forbidden)
            let again = try await browser.send(
                .POST, "/patients/verify-email/resend",
                form: ["email": "dana@example.com", "csrf": browser.cookie("idp_csrf") ?? ""])
            #expect(again.status == .ok)
            let mail = try await idp.queuedMail()
            #expect(mail.count == 2)
            let confirmed = try await TestBrowser(app: idp.app).send(
                .GET, try idp.link(in: mail[1], to: "verify-email"))
            #expect(confirmed.status == .ok)
        }
    }

    @Test("seeded patient accounts are never asked to confirm, and other tenants have no sign-up")
    func onlyPatientsWhoSignedUp() async throws {
        try await Harness.with { idp in
            #expect(
                try await idp.signIn(TestBrowser(app: idp.app), Self.patients, email: "patient@example.com").status
                    == .seeOther)
            #expect(try await TestBrowser(app: idp.app).send(.GET, "/express/sign-up").status == .notFound)
            #expect(try await TestBrowser(app: idp.app).send(.GET, "/staff/sign-up").status == .notFound)
            let login = try await TestBrowser(app: idp.app).send(.GET, Self.patients.authorizePath)
            #expect(login.text.contains("Create an account"))
        }
    }
}
