import Fluent
import Foundation
import Platform
import TestSupport
import Testing
import Vapor

@testable import Identity

@Suite("Identity's management API: look up, list, change, deactivate and reissue")
struct ManagementAPITests {
    typealias Harness = IdentityHarness

    @Test("every operation needs a token with identity.accounts.write")
    func scopeRequired() async throws {
        try await Harness.with { idp in
            let weak = try await IdentityApp.internalToken(idp.app, audience: "identity", scopes: ["openid"])
            let id = UUID().uuidString.lowercased()
            let calls: [(HTTPMethod, String, [String: Any]?)] = [
                (.POST, "/express/management/accounts", ["email": "x@sunrise.example", "name": "X"]),
                (.POST, "/express/management/accounts/lookup", ["email": "scheduler@sunrise.example"]),
                (.POST, "/express/management/accounts/states", ["account_ids": [id]]),
                (.PATCH, "/express/management/accounts/\(id)", ["active": false]),
                (.POST, "/express/management/accounts/\(id)/invitation", nil),
            ]
            for (method, path, json) in calls {
                #expect(
                    try await idp.management(method, path, json: json, token: nil).status == .unauthorized, "\(path)")
                let refused = try await idp.management(method, path, json: json, token: weak)
                #expect(refused.status == .forbidden, "\(path)")
                #expect(refused.isProblem)
            }
            #expect(try await idp.queuedMail().isEmpty)
        }
    }

    @Test("look up by email (in the body), 404 for an address without an account")
    func lookUp() async throws {
        try await Harness.with { idp in
            let token = try await idp.managementToken()
            let found = try await idp.management(
                .POST, "/express/management/accounts/lookup", json: ["email": " Scheduler@Sunrise.example "],
                token: token)
            #expect(found.status == .ok, "\(found.text)")
            #expect(found.object["email"] as? String == "scheduler@sunrise.example")
            #expect(found.object["active"] as? Bool == true)
            #expect((found.object["invitation"] as? [String: Any])?["state"] as? String == "none")
            #expect(found.object["second_factor"] as? Bool == false)
            let admin = try await idp.management(
                .POST, "/express/management/accounts/lookup", json: ["email": "admin@sunrise.example"], token: token)
            #expect(admin.object["second_factor"] as? Bool == true, "the demo admin is seeded enrolled")
            let scheduler = try #require(
                try await AccountModel.query(on: idp.app.db).filter(\.$email == "scheduler@sunrise.example").first())
            #expect(found.object["account_id"] as? String == scheduler.id!.uuidString.lowercased())

            let missing = try await idp.management(
                .POST, "/express/management/accounts/lookup", json: ["email": "nobody@sunrise.example"], token: token)
            #expect(missing.status == .notFound)
            let otherTenant = try await idp.management(
                .POST, "/patients/management/accounts/lookup", json: ["email": "scheduler@sunrise.example"],
                token: token)
            #expect(otherTenant.status == .notFound)
        }
    }

    @Test("list by ids in the order asked; unknown, malformed and other tenants' ids are left out")
    func list() async throws {
        try await Harness.with { idp in
            let token = try await idp.managementToken()
            let first = try await idp.invite("one@sunrise.example", token: token)
            let second = try await idp.invite("two@sunrise.example", token: token)
            let patient = try await idp.addAccount(.patients, email: "pat@example.com")
            let listed = try await idp.management(
                .POST, "/express/management/accounts/states",
                json: [
                    "account_ids": [
                        second.id, UUID().uuidString.lowercased(), "not-an-id", first.id,
                        patient.id!.uuidString.lowercased(),
                    ]
                ], token: token)
            #expect(listed.status == .ok, "\(listed.text)")
            let accounts = try #require(listed.object["accounts"] as? [[String: Any]])
            #expect(accounts.compactMap { $0["account_id"] as? String } == [second.id, first.id])
            #expect(accounts.allSatisfy { ($0["invitation"] as? [String: Any])?["state"] as? String == "sent" })
            #expect(accounts.allSatisfy { ($0["invitation"] as? [String: Any])?["expires_at"] is String })
        }
    }

    @Test("change name and email; an email another account uses is 409 account-exists; 404 for unknown ids")
    func update() async throws {
        try await Harness.with { idp in
            let token = try await idp.managementToken()
            let created = try await idp.invite("ann.new@sunrise.example", token: token)
            let path = "/express/management/accounts/\(created.id)"
            let changed = try await idp.management(
                .PATCH, path, json: ["name": "Ann Newer", "email": "Ann.Newer@Sunrise.example"], token: token)
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(changed.object["name"] as? String == "Ann Newer")
            #expect(changed.object["email"] as? String == "ann.newer@sunrise.example")
            let stored = try #require(try await AccountModel.find(UUID(uuidString: created.id), on: idp.app.db))
            #expect(stored.email == "ann.newer@sunrise.example")

            let taken = try await idp.management(
                .PATCH, path, json: ["email": "scheduler@sunrise.example"], token: token)
            #expect(taken.status == .conflict)
            #expect(taken.object["type"] as? String == "urn:selfsched:problem:account-exists")
            let invalid = try await idp.management(
                .PATCH, path, json: ["email": "no at sign", "name": " "], token: token)
            #expect(Set(invalid.problemFields) == ["email", "name"])

            let unknown = "/express/management/accounts/\(UUID().uuidString.lowercased())"
            #expect(try await idp.management(.PATCH, unknown, json: ["name": "X"], token: token).status == .notFound)
            #expect(try await idp.management(.POST, unknown + "/invitation", token: token).status == .notFound)
            let wrongTenant = "/patients/management/accounts/\(created.id)"
            #expect(
                try await idp.management(.PATCH, wrongTenant, json: ["name": "X"], token: token).status == .notFound)
        }
    }

    @Test("deactivation ends the account's SSO sessions and refuses sign-in; reactivation lets it sign in again")
    func deactivateAndReactivate() async throws {
        try await Harness.with { idp in
            let token = try await idp.managementToken()
            let browser = TestBrowser(app: idp.app)
            #expect(try await idp.signIn(browser, .init(), email: "scheduler@sunrise.example").status == .seeOther)
            let scheduler = try #require(
                try await AccountModel.query(on: idp.app.db).filter(\.$email == "scheduler@sunrise.example").first())
            #expect(try await SSOSessionModel.query(on: idp.app.db).filter(\.$accountID == scheduler.id!).count() == 1)

            let path = "/express/management/accounts/\(scheduler.id!.uuidString.lowercased())"
            let off = try await idp.management(.PATCH, path, json: ["active": false], token: token)
            #expect(off.status == .ok, "\(off.text)")
            #expect(off.object["active"] as? Bool == false)
            #expect(try await SSOSessionModel.query(on: idp.app.db).filter(\.$accountID == scheduler.id!).count() == 0)
            let refused = try await idp.signIn(TestBrowser(app: idp.app), .init(), email: "scheduler@sunrise.example")
            #expect(refused.status != .seeOther)

            let on = try await idp.management(.PATCH, path, json: ["active": true], token: token)
            #expect(on.object["active"] as? Bool == true)
            #expect(
                try await idp.signIn(TestBrowser(app: idp.app), .init(), email: "scheduler@sunrise.example").status
                    == .seeOther)
        }
    }

    @Test("reissuing after the owner chose a password, or for an account made without one, is 409")
    func reissueAccepted() async throws {
        try await Harness.with { idp in
            let token = try await idp.managementToken()
            let scheduler = try #require(
                try await AccountModel.query(on: idp.app.db).filter(\.$email == "scheduler@sunrise.example").first())
            let seeded = try await idp.management(
                .POST, "/express/management/accounts/\(scheduler.id!.uuidString.lowercased())/invitation", token: token)
            #expect(seeded.status == .conflict)
            #expect(seeded.object["type"] as? String == "urn:selfsched:problem:invitation-accepted")

            let created = try await idp.invite("ann.new@sunrise.example", token: token)
            let browser = TestBrowser(app: idp.app)
            _ = try await browser.send(.GET, try Harness.path(created.link))
            let token2 = try #require(queryParameters(created.link)["token"])
            let chosen = try await browser.send(
                .POST, "/express/set-password",
                form: [
                    "token": token2, "password": Harness.chosenPassword, "confirm": Harness.chosenPassword,
                    "csrf": browser.cookie("idp_csrf") ?? "",
                ])
            #expect(chosen.status == .ok, "\(chosen.text)")
            let accepted = try await idp.management(
                .POST, "/express/management/accounts/\(created.id)/invitation", token: token)
            #expect(accepted.status == .conflict)
            #expect(accepted.object["type"] as? String == "urn:selfsched:problem:invitation-accepted")
            #expect(try await idp.queuedMail().count == 1)
        }
    }

    @Test("an email already in use is refused on creation with 409 account-exists")
    func createConflict() async throws {
        try await Harness.with { idp in
            let token = try await idp.managementToken()
            let again = try await idp.management(
                .POST, "/express/management/accounts", json: ["email": "Scheduler@sunrise.example", "name": "S"],
                token: token)
            #expect(again.status == .conflict)
            #expect(again.object["type"] as? String == "urn:selfsched:problem:account-exists")
            #expect(try await idp.queuedMail().isEmpty)
        }
    }
}
