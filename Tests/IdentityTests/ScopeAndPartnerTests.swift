import Foundation
import IdentityDomain
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Identity

@Suite("Scopes each client may give, and the partner of every express token")
struct ScopeAndPartnerTests {
    typealias Harness = IdentityHarness

    @Test("a partner user asking for staff scopes gets only the client's allowed ones")
    func staffScopesDropped() async throws {
        try await Harness.with { idp in
            var request = Harness.AuthRequest()
            request.extra["scope"] =
                "openid email station.dispatch identity.accounts.write station.care_requests.read profile"
            let tokens = try await idp.signInForTokens(request, email: "scheduler@sunrise.example")
            #expect(tokens.status == .ok, "\(tokens.text)")
            #expect(tokens.object["scope"] as? String == "openid email profile")
            let claims = try await idp.verifier("express", audience: "express").verify(
                try #require(tokens.object["access_token"] as? String))
            #expect(claims.scopes == ["openid", "email", "profile"])
        }
    }

    @Test("a client's allowed list narrows what its users get, and staff scopes never reach non-staff tenants")
    func allowList() {
        let dispatcher = StaffAccess(roles: [.dispatcher], markets: .all)
        #expect(
            ScopeGrant.granted(requested: "openid email openid", allowed: ["openid"], tenant: .patients, staff: .none)
                == ["openid"])
        #expect(
            ScopeGrant.granted(
                requested: "openid station.dispatch", allowed: ["openid", "station.dispatch"], tenant: .express,
                staff: dispatcher)
                == ["openid"])
        #expect(
            ScopeGrant.granted(
                requested: "openid station.dispatch", allowed: ["openid", "station.dispatch"], tenant: .staff,
                staff: dispatcher)
                == ["openid", "station.dispatch"])
    }

    @Test("a configured partner client may not be given staff scopes")
    func configuredStaffScopesRefused() async throws {
        try await Harness.with { idp in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("ids-\(UUID().uuidString).json")
            defer { try? FileManager.default.removeItem(at: file) }
            try Data(
                #"""
                {"clients":[{"id":"partner-app","tenant":"express","name":"Partner app","secret_env":"APP_SECRET",
                  "redirect_uris":["https://app.example/cb"],"grant_types":["authorization_code"],"user_audience":"express",
                  "scopes":["openid","station.dispatch"]}]}
                """#.utf8
            ).write(to: file)
            await #expect(throws: ConfigurationError.self) {
                try await ConfiguredIdentities.load(file.path).register(
                    with: idp.service, environment: ["APP_SECRET": "s3cret"])
            }
            #expect(try await ClientModel.find("partner-app", on: idp.app.db) == nil)
        }
    }

    @Test("an express user the hook gives no partner cannot sign in")
    func partnerRequired() async throws {
        try await Harness.with { idp in
            try await idp.addAccount(.express, email: "loose@sunrise.example")
            idp.hook.stub(
                "loose@sunrise.example", .allow(HookClaims(userID: "u-loose", partnerID: "", roles: ["scheduler"])))
            let response = try await idp.signIn(
                TestBrowser(app: idp.app), Harness.AuthRequest(), email: "loose@sunrise.example")
            #expect(response.status == .forbidden)
            #expect(response.headers.first(name: .location) == nil)
            #expect(response.text.contains("not linked to a partner"))
        }
    }

    @Test("machine clients keep every scope their services ask for")
    func machineScopes() async throws {
        try await Harness.with { idp in
            let needs: [(client: String, audience: String, scopes: [String])] = [
                ("express-m2m", "station", ["station.patients.read", "station.care_requests.read"]),
                ("express-m2m", "oss", ["oss.handoffs.create"]),
                ("express-m2m", "identity", ["identity.accounts.write"]),
                (
                    "oss-m2m", "station",
                    [
                        "station.patients.read", "station.patients.write", "station.care_requests.read",
                        "station.care_requests.write",
                    ]
                ),
                ("oss-m2m", "policy", ["policy.check"]), ("oss-m2m", "express", ["express.callbacks.write"]),
            ]
            for need in needs {
                let response = try await idp.token(
                    "staff",
                    form: [
                        "grant_type": "client_credentials", "audience": need.audience,
                        "scope": need.scopes.joined(separator: " "),
                    ],
                    basic: (need.client, idp.secrets[need.client]!))
                #expect(response.status == .ok, "\(need.client) \(need.audience): \(response.text)")
                #expect(
                    Set((response.object["scope"] as? String ?? "").split(separator: " ").map(String.init))
                        == Set(need.scopes))
            }
        }
    }
}
