import Foundation
import IdentityDomain
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Identity

@Suite("Password guessing is slowed, counted exactly, and says nothing about which accounts exist")
struct PasswordGuessingTests {
    typealias Harness = IdentityHarness

    func attempt(_ idp: Harness, _ email: String, _ password: String = "wrong-guess") async throws -> BrowserResponse {
        try await idp.signIn(TestBrowser(app: idp.app), Harness.AuthRequest(), email: email, password: password)
    }

    @Test("new passwords are hashed at the configured bcrypt cost, and a hash made at another cost still signs in")
    func hashCost() async throws {
        #expect(IdentityConfig(database: .sqlite(path: ":memory:"), dataDirectory: "/tmp").passwordHashCost == 10)
        try await Harness.with { idp in
            let hash = try await idp.service.hashPassword("correct horse battery staple")
            #expect(hash.hasPrefix("$2b$04$"))
            #expect(try await idp.service.verifyPassword("correct horse battery staple", hash: hash))
            #expect(try await idp.service.verifyPassword("wrong-guess", hash: hash) == false)
            #expect(try await idp.service.verifyPassword("correct horse battery staple", hash: nil) == false)

            let account = try #require(try await idp.service.account(email: "admin@sunrise.example", tenant: .express))
            #expect(account.passwordHash.hasPrefix("$2b$04$"))
            account.passwordHash = try Bcrypt.hash(DemoIdentities.password, cost: 10)
            try await account.save(on: idp.app.db)
            #expect(try await attempt(idp, "admin@sunrise.example", DemoIdentities.password).status == .seeOther)
        }
        await #expect(throws: ConfigurationError.self) {
            try await Harness.with(adjust: { $0.passwordHashCost = 3 }) { _ in }
        }
    }

    @Test("30 concurrent guesses get five password checks, and the right password then waits too")
    func concurrentGuesses() async throws {
        try await Harness.with { idp in
            // The login pages first, so that only the password posts run concurrently.
            var forms: [(TestBrowser, [String: String])] = []
            for _ in 0..<30 {
                let browser = TestBrowser(app: idp.app)
                let request = Harness.AuthRequest()
                _ = try await browser.send(.GET, request.authorizePath)
                var form = request.parameters
                form["email"] = "admin@sunrise.example"
                form["password"] = "wrong-guess"
                form["csrf"] = browser.cookie("idp_csrf") ?? ""
                forms.append((browser, form))
            }
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for (browser, form) in forms {
                    group.addTask { try await browser.send(.POST, "/express/login", form: form).status }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .unauthorized }.count == 5)
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 25)
            #expect(try await attempt(idp, "admin@sunrise.example", DemoIdentities.password).status == .tooManyRequests)
        }
    }

    @Test("known and unknown emails get the same answers, throttle included")
    func knownAndUnknownAlike() async throws {
        try await Harness.with { idp in
            func answers(_ email: String) async throws -> [String] {
                var seen: [String] = []
                for _ in 0..<6 {
                    let response = try await attempt(idp, email)
                    seen.append(
                        "\(response.status.code) \(response.headers.first(name: .retryAfter) ?? "-") "
                            + (response.text.contains("do not match")
                                ? "mismatch" : response.text.contains("Too many") ? "throttled" : "other"))
                }
                return seen
            }
            let known = try await answers("admin@sunrise.example")
            let unknown = try await answers("nobody@sunrise.example")
            #expect(known == unknown)
            #expect(known.last == "429 30 throttled")
        }
    }

    @Test("five wrong passwords make the owner wait seconds, then longer with each further failure")
    func backOff() async throws {
        try await Harness.with { idp in
            for _ in 0..<5 {
                let status = try await attempt(idp, "admin@sunrise.example").status
                #expect(status == .unauthorized)
            }
            idp.clock.advance(31)
            #expect(try await attempt(idp, "admin@sunrise.example").status == .unauthorized)
            idp.clock.advance(31)
            #expect(try await attempt(idp, "admin@sunrise.example", DemoIdentities.password).status == .tooManyRequests)
            idp.clock.advance(30)
            #expect(try await attempt(idp, "admin@sunrise.example", DemoIdentities.password).status == .seeOther)
            // Success starts the count afresh.
            #expect(try await attempt(idp, "admin@sunrise.example").status == .unauthorized)
        }
    }

    @Test("one address spraying many emails is slowed down")
    func addressThrottle() async throws {
        try await Harness.with(adjust: { $0.addressThrottle = ThrottlePolicy(freeAttempts: 4) }) { idp in
            for index in 0..<4 {
                let status = try await attempt(idp, "guess\(index)@sunrise.example").status
                #expect(status == .unauthorized)
            }
            #expect(try await attempt(idp, "another@sunrise.example").status == .tooManyRequests)
        }
    }

    @Test("successful sign-ins from one address do not count against it")
    func successesFree() async throws {
        try await Harness.with(adjust: { $0.addressThrottle = ThrottlePolicy(freeAttempts: 4) }) { idp in
            for _ in 0..<6 {
                let status = try await attempt(idp, "admin@sunrise.example", DemoIdentities.password).status
                #expect(status == .seeOther)
            }
            for index in 0..<3 {
                let status = try await attempt(idp, "guess\(index)@sunrise.example").status
                #expect(status == .unauthorized)
            }
        }
    }
}

@Suite("A stranger spending an email's count cannot keep its owner's browser out")
struct KnownDeviceTests {
    typealias Harness = IdentityHarness

    @Test("after the count per email is spent, a new browser waits but the owner's earlier browser signs in")
    func knownDevice() async throws {
        // The stranger's many addresses: their count per email at one address never binds here.
        try await Harness.with(adjust: {
            $0.accountThrottle = ThrottlePolicy(freeAttempts: 3)
            $0.accountAtAddressThrottle = ThrottlePolicy(freeAttempts: 100)
            $0.addressThrottle = ThrottlePolicy(freeAttempts: 100)
        }) { idp in
            let owner = TestBrowser(app: idp.app)
            let first = try await idp.signIn(owner, Harness.AuthRequest(), email: "scheduler@sunrise.example")
            #expect(first.status == .seeOther)
            #expect(owner.cookie("idp_device_express") != nil)
            // The owner's browser forgets its SSO session (signed out), but keeps the device cookie.
            owner.setCookie("idp_sso_express", nil)
            for _ in 0..<3 {
                let guess = try await idp.signIn(
                    TestBrowser(app: idp.app), Harness.AuthRequest(), email: "scheduler@sunrise.example",
                    password: "wrong-guess")
                #expect(guess.status == .unauthorized)
            }
            let stranger = try await idp.signIn(
                TestBrowser(app: idp.app), Harness.AuthRequest(), email: "scheduler@sunrise.example")
            #expect(stranger.status == .tooManyRequests)
            // A forged device cookie, or one made for another account, does not help.
            let forged = TestBrowser(app: idp.app, cookies: ["idp_device_express": "e30.forged"])
            let refused = try await idp.signIn(forged, Harness.AuthRequest(), email: "scheduler@sunrise.example")
            #expect(refused.status == .tooManyRequests)
            let viewer = TestBrowser(app: idp.app)
            let viewerSignIn = try await idp.signIn(viewer, Harness.AuthRequest(), email: "admin@sunrise.example")
            #expect(viewerSignIn.status == .seeOther)
            let borrowed = TestBrowser(
                app: idp.app, cookies: ["idp_device_express": try #require(viewer.cookie("idp_device_express"))])
            let alsoRefused = try await idp.signIn(borrowed, Harness.AuthRequest(), email: "scheduler@sunrise.example")
            #expect(alsoRefused.status == .tooManyRequests)
            // The owner's own browser signs in.
            let back = try await idp.signIn(owner, Harness.AuthRequest(), email: "scheduler@sunrise.example")
            #expect(back.status == .seeOther)
            #expect(back.headers.first(name: .location)?.contains("code=") == true)
        }
    }
}
