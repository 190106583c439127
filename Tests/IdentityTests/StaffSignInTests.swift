import Fluent
import Foundation
import IdentityDomain
import JWTKit
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Identity

@Suite("Staff sign-in: roles, markets and the scopes they allow")
struct StaffSignInTests {
    typealias Harness = IdentityHarness

    /// Console's sign-in, asking for every staff scope as Console does.
    static var console: Harness.AuthRequest {
        var request = Harness.AuthRequest(
            tenant: "staff", clientID: "console-web", redirectURI: "http://127.0.0.1:8085/auth/callback")
        request.extra["scope"] = (ScopeGrant.openIDScopes + DemoIdentities.staffScopes).joined(separator: " ")
        return request
    }

    /// Signs in through Console; returns the access token's claims, the ID token's and the granted scopes.
    static func signIn(_ idp: Harness, _ email: String) async throws -> (
        access: AccessTokenClaims, id: Identity.IDTokenClaims, scope: String
    ) {
        let tokens = try await idp.signInForTokens(console, email: email)
        #expect(tokens.status == .ok, "\(tokens.text)")
        let access = try await idp.verifier("staff", audience: "station").verify(
            try #require(tokens.object["access_token"] as? String))
        let keys = JWTKeyCollection()
        try await keys.add(jwks: try await idp.service.keys.jwks())
        let id = try await keys.verify(
            try #require(tokens.object["id_token"] as? String), as: Identity.IDTokenClaims.self)
        return (access, id, try #require(tokens.object["scope"] as? String))
    }

    @Test("a nurse's token triages but neither dispatches nor administers, and names her roles and markets")
    func nurse() async throws {
        try await Harness.with { idp in
            let (access, id, scope) = try await Self.signIn(idp, "nurse@example.com")
            #expect(access.scopes.contains("station.triage"))
            #expect(!access.scopes.contains("station.dispatch"))
            #expect(!access.scopes.contains("station.admin"))
            #expect(
                access.scopes
                    == [
                        "openid", "email", "profile", "station.triage", "station.care_requests.read",
                        "station.patients.read",
                    ])
            #expect(Set(scope.split(separator: " ").map(String.init)) == access.scopes)
            #expect(access.roles == ["nurse"])
            #expect(access.markets == ["*"])
            #expect(access.partnerID == nil)
            #expect(access.userID == access.sub.value)
            #expect(id.roles == ["nurse"])
            #expect(id.markets == ["*"])
            #expect(id.aud.value == ["console-web"])
            #expect(id.name == "Nia Nurse")
            // The access token names her too, so Station's history says who moved a request.
            #expect(access.name == "Nia Nurse")
            #expect(access.email == "nurse@example.com")
        }
    }

    @Test("operations admins get station.admin, dispatchers station.dispatch; several roles are sorted")
    func otherRoles() async throws {
        try await Harness.with { idp in
            let ops = try await Self.signIn(idp, "ops@example.com").access
            #expect(ops.scopes.subtracting(ScopeGrant.openIDScopes) == ["station.admin"])
            #expect(ops.roles == ["operations_admin"])
            let dispatcher = try await Self.signIn(idp, "dispatcher@example.com").access
            #expect(dispatcher.scopes.contains("station.dispatch"))
            #expect(!dispatcher.scopes.contains("station.triage"))

            let market = MarketID.random()
            let both = try await idp.addAccount(.staff, email: "both@example.com")
            both.staffAccess = StaffAccess(roles: [.nurse, .dispatcher], markets: .only([market]))
            try await both.update(on: idp.app.db)
            let (access, id, _) = try await Self.signIn(idp, "both@example.com")
            #expect(access.roles == ["dispatcher", "nurse"])
            #expect(access.markets == [market.wire])
            #expect(id.markets == [market.wire])
            #expect(access.scopes.isSuperset(of: ["station.triage", "station.dispatch"]))
            #expect(!access.scopes.contains("station.admin"))
        }
    }

    @Test("a staff account without a role signs in but gets no API scope and no market")
    func noRole() async throws {
        try await Harness.with { idp in
            try await idp.addAccount(.staff, email: "new@example.com")
            let (access, id, scope) = try await Self.signIn(idp, "new@example.com")
            #expect(access.scopes == ["openid", "email", "profile"])
            #expect(scope == "openid email profile")
            #expect(access.roles == [])
            #expect(access.markets == [])
            #expect(MarketAccess(claim: id.markets) == .only([]))
        }
    }

    @Test("a partner user signing in never gets staff roles, markets or scopes")
    func partnerUser() async throws {
        try await Harness.with { idp in
            var request = Harness.AuthRequest()
            request.extra["scope"] = "openid station.triage station.admin station.dispatch"
            let tokens = try await idp.signInForTokens(request, email: "scheduler@sunrise.example")
            let access = try await idp.verifier("express", audience: "express").verify(
                try #require(tokens.object["access_token"] as? String))
            #expect(access.scopes == ["openid"])
            #expect(access.markets == nil)
            #expect(access.name == nil && access.email == nil)
            #expect(access.roles == ["scheduler"])
        }
    }

    @Test("scope grants: a staff member's API scopes are their roles' only")
    func grants() {
        let allowed = ScopeGrant.openIDScopes + DemoIdentities.staffScopes
        let requested = allowed.joined(separator: " ")
        let nurse = StaffAccess(roles: [.nurse], markets: .all)
        #expect(
            ScopeGrant.granted(requested: requested, allowed: allowed, tenant: .staff, staff: nurse)
                == [
                    "openid", "email", "profile", "station.care_requests.read", "station.patients.read",
                    "station.triage",
                ])
        #expect(
            ScopeGrant.granted(requested: requested, allowed: allowed, tenant: .staff, staff: .none)
                == ScopeGrant.openIDScopes)
        #expect(
            ScopeGrant.granted(requested: requested, allowed: allowed, tenant: .express, staff: nurse)
                == ScopeGrant.openIDScopes)
    }

    @Test("staff access reads its stored text and refuses what is not a role or a market")
    func storedText() throws {
        let market = MarketID.random()
        let access = try StaffAccess(roles: "nurse  operations_admin", markets: market.wire)
        #expect(access == StaffAccess(roles: [.nurse, .operationsAdmin], markets: .only([market])))
        #expect(access.storedRoles == "nurse operations_admin")
        #expect(try StaffAccess(roles: nil, markets: "*").markets == .all)
        #expect(throws: StaffAccess.Invalid(field: "staff_roles", value: "surgeon")) {
            try StaffAccess(roles: "nurse surgeon", markets: "*")
        }
        #expect(throws: StaffAccess.Invalid(field: "staff_markets", value: "denver")) {
            try StaffAccess(roles: "nurse", markets: "denver")
        }
    }
}

@Suite("Console's clients and the demo staff")
struct ConsoleClientTests {
    @Test("Console's machine client gets what Console calls, and nothing more")
    func consoleMachine() async throws {
        try await IdentityHarness.with { idp in
            let credentials = ("console-m2m", idp.secrets["console-m2m"]!)
            for (audience, scope) in [
                ("station", "station.events.read"), ("policy", "policy.check"), ("express", "express.partners.write"),
                ("identity", "identity.accounts.write"),
            ] {
                let response = try await idp.token(
                    "staff", form: ["grant_type": "client_credentials", "audience": audience], basic: credentials)
                #expect(response.object["scope"] as? String == scope, "\(audience): \(response.text)")
            }
            let dispatch = try await idp.token(
                "staff",
                form: ["grant_type": "client_credentials", "audience": "station", "scope": "station.dispatch"],
                basic: credentials)
            #expect(dispatch.object["error"] as? String == "invalid_scope")
        }
    }

    @Test("console-web returns only to the Console public URL, which CONSOLE_PUBLIC_URL sets")
    func consoleURLs() async throws {
        let config = try IdentityConfig.fromEnvironment(
            ["CONSOLE_PUBLIC_URL": "https://console.example/"], dataDirectory: "/tmp/unused")
        #expect(config.consoleWebURL == "https://console.example")
        let web = try #require(DemoIdentities.clients(config).first { $0.id == "console-web" })
        #expect(web.redirectURIs == ["https://console.example/auth/callback"])
        #expect(web.postLogoutRedirectURIs == ["https://console.example/", "https://console.example/signed-out"])
        #expect(web.backchannelLogoutURI == "https://console.example/auth/backchannel-logout")
        #expect(web.userAudience == "station")
        #expect(
            try IdentityConfig.fromEnvironment([:], dataDirectory: "/tmp/unused").consoleWebURL
                == "http://127.0.0.1:8085")
        #expect(
            try IdentityConfig.fromEnvironment(["CONSOLE_PORT": "9185"], dataDirectory: "/tmp/unused").consoleWebURL
                == "http://127.0.0.1:9185")
    }

    @Test("a database seeded before staff roles gains the demo staff and their roles at the next start")
    func existingDatabase() async throws {
        try await IdentityHarness.with { idp in
            let db = idp.app.db
            try await AccountModel.query(on: db).filter(\.$email == "nurse@example.com").delete()
            let dispatcher = try #require(
                try await AccountModel.query(on: db).filter(\.$email == "dispatcher@example.com").first())
            dispatcher.staffRoles = nil
            dispatcher.staffMarkets = nil
            try await dispatcher.update(on: db)
            try await ClientModel.query(on: db).filter(\.$id == "console-web").delete()

            try await IdentityApp.prepare(idp.app, seedDemo: true)
            let staff = try await AccountModel.query(on: db).filter(\.$tenant == "staff").all()
            #expect(
                Dictionary(uniqueKeysWithValues: staff.map { ($0.email, $0.staffAccess.roleClaim) }) == [
                    "nurse@example.com": ["nurse"], "dispatcher@example.com": ["dispatcher"],
                    "ops@example.com": ["operations_admin"],
                ])
            #expect(staff.allSatisfy { $0.staffAccess.markets == .all })
            #expect(try await ClientModel.find("console-web", on: db) != nil)
            #expect(try await StaffSignInTests.signIn(idp, "nurse@example.com").access.roles == ["nurse"])
        }
    }

    @Test("a demo staff member whose roles were changed keeps them at the next start")
    func changedRolesKept() async throws {
        try await IdentityHarness.with { idp in
            let dispatcher = try #require(
                try await AccountModel.query(on: idp.app.db).filter(\.$email == "dispatcher@example.com").first())
            dispatcher.staffAccess = StaffAccess(roles: [.dispatcher, .nurse], markets: .all)
            try await dispatcher.update(on: idp.app.db)
            try await IdentityApp.prepare(idp.app, seedDemo: true)
            let after = try #require(try await AccountModel.find(dispatcher.id, on: idp.app.db))
            #expect(after.staffAccess.roles == [.dispatcher, .nurse])
        }
    }

    @Test("IDENTITY_CONFIG_FILE gives a staff account its roles and markets, and refuses unknown ones")
    func configuredStaff() async throws {
        try await IdentityHarness.with { idp in
            let market = MarketID.random()
            func file(_ accounts: String) throws -> URL {
                let url = FileManager.default.temporaryDirectory.appendingPathComponent("ids-\(UUID().uuidString).json")
                try Data(#"{"accounts":[\#(accounts)]}"#.utf8).write(to: url)
                return url
            }
            let good = try file(
                #"{"tenant":"staff","email":"kim@example.com","name":"Kim","password_env":"KIM_PASSWORD","#
                    + #""staff_roles":["dispatcher"],"staff_markets":["\#(market.wire)"]}"#)
            defer { try? FileManager.default.removeItem(at: good) }
            try await ConfiguredIdentities.load(good.path).register(
                with: idp.service, environment: ["KIM_PASSWORD": "kim-password-1"])
            let kim = try #require(try await idp.service.account(email: "kim@example.com", tenant: .staff))
            #expect(kim.staffAccess == StaffAccess(roles: [.dispatcher], markets: .only([market])))

            let bad = try file(
                #"{"tenant":"staff","email":"lee@example.com","name":"Lee","password_env":"LEE_PASSWORD","#
                    + #""staff_roles":["surgeon"]}"#)
            defer { try? FileManager.default.removeItem(at: bad) }
            await #expect(throws: ConfigurationError.self) {
                try await ConfiguredIdentities.load(bad.path).register(
                    with: idp.service, environment: ["LEE_PASSWORD": "lee-password-1"])
            }
            let partner = try file(
                #"{"tenant":"express","email":"pat@sunrise.example","name":"Pat","password_env":"PAT_PASSWORD","#
                    + #""staff_roles":["nurse"]}"#)
            defer { try? FileManager.default.removeItem(at: partner) }
            await #expect(throws: ConfigurationError.self) {
                try await ConfiguredIdentities.load(partner.path).register(
                    with: idp.service, environment: ["PAT_PASSWORD": "pat-password-1"])
            }
            #expect(try await idp.service.account(email: "lee@example.com", tenant: .staff) == nil)
        }
    }
}
