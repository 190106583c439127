import AsyncHTTPClient
import Express
import Foundation
import TestSupport
import Testing
import Vapor

@testable import Identity
@testable import Platform

/// Identity and Express on real ports: sign-in through the authorization code flow, with Identity's
/// post-login hook calling Express over HTTP for the user's partner and role.
@Suite("Signing in to Express through Identity")
struct ExpressSignInTests {
    @Test(
        "a partner user signs in with one password entry; the hook's claims reach Express; sign-out ends both sessions")
    func signIn() async throws {
        for attempt in 1...3 {
            do {
                return try await signInOnce()
            } catch  where isAddressInUse(error) && attempt < 3 {
                continue
            }
        }
    }

    func signInOnce() async throws {
        let identityApp = try await Application.make(.testing)
        let expressApp = try await Application.make(.testing)
        let identityDB = try await TestDatabase.make(on: identityApp)
        let expressDB = try await TestDatabase.make(on: expressApp)
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("signin-\(UUID().uuidString)")
            .path
        let identityPort = freePort()
        var expressPort = freePort()
        while expressPort == identityPort { expressPort = freePort() }
        let browser = TestBrowser.network()
        func cleanup() async {
            try? await browser.shutdown()
            await identityApp.server.shutdown()
            await expressApp.server.shutdown()
            await identityDB.drop()
            await expressDB.drop()
            try? await identityApp.asyncShutdown()
            try? await expressApp.asyncShutdown()
            try? FileManager.default.removeItem(atPath: dataDirectory)
        }
        do {
            let idp = "http://127.0.0.1:\(identityPort)"
            let express = "http://127.0.0.1:\(expressPort)"
            var identityConfig = IdentityConfig(
                database: identityDB.location, publicURL: idp, dataDirectory: dataDirectory,
                expressURL: express, expressWebURL: express)
            identityConfig.endpoint.port = identityPort
            identityConfig.passwordHashCost = 4
            let hook = try ExpressClaimsHook(
                expressURL: express,
                tokens: ClosureTokenSource {
                    try await IdentityApp.internalToken(
                        identityApp, audience: "express", scopes: ["express.claims.read"])
                })
            try IdentityApp.configure(identityApp, config: identityConfig, hook: hook)
            try await IdentityApp.prepare(identityApp, seedDemo: true)
            try await identityApp.server.start(address: .hostname("127.0.0.1", port: identityPort))

            let env = [
                "EXPRESS_PORT": String(expressPort), "IDENTITY_PUBLIC_URL": idp, "STATION_URL": "http://127.0.0.1:9",
                "EXPRESS_PUBLIC_URL": express, "EXPRESS_DATABASE_URL": "sqlite:unused",
            ]
            var config = try ExpressConfig.fromEnvironment(env, dataDirectory: dataDirectory)
            config.database = expressDB.location
            try ExpressApp.configure(expressApp, config: config, dependencies: try .live(config))
            try await ExpressApp.prepare(expressApp, seedDemo: true)
            try await expressApp.server.start(address: .hostname("127.0.0.1", port: expressPort))

            // Express sends the browser to Identity, which asks for a password once.
            var page = try await browser.send(.GET, "\(express)/care-requests")
            #expect(page.status == .seeOther)
            page = try await browser.send(.GET, "\(express)\(page.location!)")
            let authorize = try #require(page.location)
            #expect(authorize.hasPrefix("\(idp)/express/authorize"))
            page = try await browser.send(.GET, authorize)
            var form = formInputs(page.text).filter { $0.0 != "email" }
            form += [("email", "scheduler@sunrise.example"), ("password", DemoIdentities.password)]
            page = try await browser.send(.POST, "\(idp)/express/login", form: form)
            #expect(page.status == .seeOther, "\(page.text)")
            let callback = try #require(page.location)
            #expect(callback.hasPrefix("\(express)/auth/callback?"))
            page = try await browser.send(.GET, callback)
            #expect(page.location == "/care-requests")
            // Signed in: Station is down in this test, so the page says so, inside the signed-in layout.
            page = try await browser.send(.GET, "\(express)/care-requests")
            #expect(page.status == .serviceUnavailable)
            #expect(page.text.contains("Sam Scheduler") && page.text.contains("Sunrise Senior Living"))

            // Sign-out ends Express's session and Identity's single sign-on.
            let csrf = try #require(formInputs(page.text).first { $0.0 == "csrf" }?.1)
            page = try await browser.send(.POST, "\(express)/sign-out", form: [("csrf", csrf)])
            let logout = try #require(page.location)
            #expect(logout.hasPrefix("\(idp)/express/logout"))
            page = try await browser.send(.GET, logout)
            #expect(page.location == "\(express)/signed-out")
            page = try await browser.send(.GET, "\(express)/care-requests")
            #expect(page.status == .seeOther)
            page = try await browser.send(.GET, "\(express)\(page.location!)")
            page = try await browser.send(.GET, page.location!)
            #expect(page.status == .ok)
            #expect(page.text.contains("Sign in"))

            // A user Express does not know is refused at Identity with the hook's message.
            let stranger = try await browser.send(
                .POST, "\(idp)/express/login",
                form: formInputs(page.text).filter { $0.0 != "email" }
                    + [("email", "patient@example.com"), ("password", DemoIdentities.password)])
            #expect(stranger.status == .unauthorized)
        } catch {
            await cleanup()
            throw error
        }
        await cleanup()
    }
}
