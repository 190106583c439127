import Fluent
import Foundation
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Express

@Suite("Users and profile")
struct UsersTests {
    typealias Harness = ExpressHarness

    @Test("an admin adds a user, who gets an account at the identity provider and an emailed invitation")
    func add() async throws {
        try await Harness.with(station: .none) { express in
            express.accounts.stub(
                "nina@sunrise.example",
                .created(setPasswordURL: "http://localhost:8083/express/set-password?token=one-time"))
            let admin = try await express.browser("admin@sunrise.example")
            let bad = try await admin.post("/users", ["email": "not-an-email", "name": "", "role": "boss"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("value=\"not-an-email\""))
            #expect(
                bad.text.contains("id=\"email-error\"") && bad.text.contains("id=\"name-error\"")
                    && bad.text.contains("id=\"role-error\""))
            #expect(express.accounts.created.isEmpty)

            let ok = try await admin.post(
                "/users", ["email": "Nina@Sunrise.example", "name": "Nina Nurse", "role": "scheduler"])
            #expect(ok.status == .seeOther)
            let page = try await admin.get("/users")
            #expect(
                page.text.contains(
                    "Nina Nurse was added as scheduler. We have emailed them an invitation to choose a password."))
            // The link goes to Nina alone, by email: the admin never sees it.
            #expect(!page.text.contains("set-password?token=one-time"))
            #expect(
                express.accounts.invitations == [
                    .init(email: "nina@sunrise.example", organization: "Sunrise Senior Living", invitedBy: "Ada Admin")
                ])
            let user = try #require(try await express.service.user(email: "nina@sunrise.example"))
            #expect(user.roleValue == .scheduler && user.partnerID == DemoPartners.sunriseID)
            #expect(user.accountID != nil && user.accountID == express.accounts.account(email: user.email)?.id)
            #expect(page.text.contains("Invitation sent"))
            #expect(try await express.audit("users.add").count == 1)
            let duplicate = try await admin.post(
                "/users", ["email": "nina@sunrise.example", "name": "Nina", "role": "viewer"])
            #expect(duplicate.status == .unprocessableEntity)
        }
    }

    @Test("the last active admin can be neither demoted nor deactivated")
    func lastAdmin() async throws {
        try await Harness.with(station: .none) { express in
            let admin = try await express.browser("admin@sunrise.example")
            let me = try #require(try await express.service.user(email: "admin@sunrise.example")).id!.uuidString
                .lowercased()
            _ = try await admin.post("/users/\(me)/role", ["role": "viewer"])
            #expect(try await express.service.user(email: "admin@sunrise.example")?.role == "admin")
            _ = try await admin.post("/users/\(me)/deactivate", [:])
            #expect(try await express.service.user(email: "admin@sunrise.example")?.active == true)
            #expect(try await admin.get("/users").text.contains("last active admin"))
        }
    }

    @Test("a role change and a deactivation take effect at the user's next request, and are audited")
    func changes() async throws {
        try await Harness.with(station: .none) { express in
            let admin = try await express.browser("admin@sunrise.example")
            let scheduler = try await express.browser("scheduler@sunrise.example")
            let id = try #require(try await express.service.user(email: "scheduler@sunrise.example")).id!.uuidString
                .lowercased()
            _ = try await admin.post("/users/\(id)/role", ["role": "viewer"])
            #expect(try await scheduler.get("/care-requests/new").status == .forbidden)
            _ = try await admin.post("/users/\(id)/deactivate", [:])
            let after = try await scheduler.get("/care-requests")
            #expect(after.status == .seeOther)
            #expect(after.location?.hasPrefix("/sign-in") == true)
            #expect(try await express.audit("users.change_role").count == 1)
            #expect(try await express.audit("users.deactivate").count == 1)
            // Another partner's admin cannot touch Sunrise's users.
            let mercy = try await express.browser("admin@mercy.example")
            let admins = try await UserModel.query(on: express.app.db).filter(\.$email == "admin@sunrise.example")
                .first()
            #expect(try await mercy.post("/users/\(admins!.id!.uuidString)/deactivate", [:]).status == .notFound)
        }
    }

    @Test("profile preferences are saved, and bad input comes back with the errors next to the fields")
    func profile() async throws {
        try await Harness.with { express in
            let browser = try await express.browser("scheduler@sunrise.example")
            let bad = try await browser.post(
                "/profile", ["display_name": "Sam", "time_zone": "Mars/Olympus", "page_size": "7"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("id=\"time_zone-error\"") && bad.text.contains("id=\"page_size-error\""))
            let ok = try await browser.post(
                "/profile",
                [
                    "display_name": "Sammy", "time_zone": "America/Phoenix", "page_size": "10",
                    "notify_about": "created_by_me", "notify_delivery": "immediate",
                ])
            #expect(ok.status == .seeOther)
            let page = try await browser.get("/profile")
            #expect(page.text.contains("value=\"Sammy\""))
            #expect(page.text.contains("Sammy"))
            // Two-step sign-in is Identity's: the profile links to its page for the express tenant.
            #expect(
                page.text.contains("<a href=\"http://localhost:8083/express/account/security\">Two-step sign-in</a>"))
        }
    }
}

@Suite("Express internal and partner APIs")
struct ExpressAPITests {
    typealias Harness = ExpressHarness

    func json(
        _ express: Harness, _ method: HTTPMethod, _ path: String, token: String?, body: String? = nil,
        headers extra: [(String, String)] = []
    ) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = .init(token: token) }
        if body != nil { headers.contentType = .json }
        for (name, value) in extra { headers.add(name: name, value: value) }
        return try await express.app.testing().sendRequest(
            method, path, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    @Test("the post-login hook answers claims, and refuses unknown and deactivated users")
    func claims() async throws {
        try await Harness.with(station: .none) { express in
            let token = try await express.machine.token(audience: "express", scopes: ["express.claims.read"])
            let found = try await json(
                express, .POST, "/internal/v1/identity-claims", token: token,
                body: #"{"email":"Scheduler@sunrise.example"}"#)
            #expect(found.status == .ok)
            #expect(
                found.text.contains("\"scheduler\"")
                    && found.text.contains(DemoPartners.sunriseID.uuidString.lowercased()))
            let unknown = try await json(
                express, .POST, "/internal/v1/identity-claims", token: token, body: #"{"email":"nobody@x.example"}"#)
            #expect(unknown.status == .notFound)
            try await UserModel.query(on: express.app.db).filter(\.$email == "viewer@sunrise.example").set(
                \.$active, to: false
            ).update()
            let inactive = try await json(
                express, .POST, "/internal/v1/identity-claims", token: token,
                body: #"{"email":"viewer@sunrise.example"}"#)
            #expect(inactive.status == .forbidden)
            #expect(
                try await json(express, .POST, "/internal/v1/identity-claims", token: nil, body: "{}").status
                    == .unauthorized)
            let wrongScope = try await express.machine.token(audience: "express", scopes: ["express.callbacks.write"])
            #expect(
                try await json(express, .POST, "/internal/v1/identity-claims", token: wrongScope, body: "{}").status
                    == .forbidden)
        }
    }

    @Test("OSS's callback is checked for its signature, recorded once and confirmed with Station")
    func callback() async throws {
        try await Harness.with { express in
            let token = try await express.machine.token(audience: "express", scopes: ["express.callbacks.write"])
            let careRequest = try await express.sunriseCareRequest()
            let user = try #require(try await express.service.user(email: "scheduler@sunrise.example")).id!.uuidString
                .lowercased()
            let body =
                #"{"event":"care_request.created","care_request_id":"\#(careRequest)","partner_id":"\#(DemoPartners.sunriseID.uuidString.lowercased())","user_id":"\#(user)"}"#
            let signer = WebhookSignature(secret: express.webhookSecret)
            let now = Int(Date().timeIntervalSince1970)
            func send(id: String, signature: String, timestamp: Int = now) async throws -> TestingHTTPResponse {
                try await json(
                    express, .POST, "/internal/v1/care-request-callbacks", token: token, body: body,
                    headers: [
                        ("webhook-id", id), ("webhook-timestamp", String(timestamp)), ("webhook-signature", signature),
                    ])
            }
            #expect(try await send(id: "msg_1", signature: "v1,Zm9yZ2Vk").status == .unauthorized)
            #expect(
                try await send(
                    id: "msg_1", signature: signer.sign(id: "msg_1", timestamp: now - 900, body: Data(body.utf8)),
                    timestamp: now - 900
                ).status == .unauthorized)
            let ok = try await send(
                id: "msg_1", signature: signer.sign(id: "msg_1", timestamp: now, body: Data(body.utf8)))
            #expect(ok.status == .noContent, "\(ok.text)")
            #expect(
                try await send(id: "msg_1", signature: signer.sign(id: "msg_1", timestamp: now, body: Data(body.utf8)))
                    .status == .noContent)
            #expect(
                try await send(id: "msg_2", signature: signer.sign(id: "msg_2", timestamp: now, body: Data(body.utf8)))
                    .status == .noContent)
            #expect(try await CareRequestUserModel.query(on: express.app.db).count() == 1)

            let foreign = body.replacingOccurrences(of: careRequest, with: UUID().uuidString.lowercased())
            let refused = try await json(
                express, .POST, "/internal/v1/care-request-callbacks", token: token, body: foreign,
                headers: [
                    ("webhook-id", "msg_3"), ("webhook-timestamp", String(now)),
                    ("webhook-signature", signer.sign(id: "msg_3", timestamp: now, body: Data(foreign.utf8))),
                ])
            #expect(refused.status == .unprocessableEntity)
        }
    }

    @Test("the flags admin API turns a partner's phase on and off")
    func flags() async throws {
        try await Harness.with(station: .none) { express in
            let token = try await express.machine.token(audience: "express", scopes: ["express.flags.write"])
            let response = try await json(
                express, .PUT,
                "/internal/v1/partners/\(DemoPartners.mercyID.uuidString.lowercased())/flags/oss_handoff",
                token: token, body: #"{"enabled":true}"#)
            #expect(response.status == .ok)
            #expect(response.text.contains("\"oss_handoff\" : true") || response.text.contains("\"oss_handoff\":true"))
            let mercy = try await express.browser("admin@mercy.example")
            #expect(!(try await mercy.get("/care-requests/new")).text.contains("Schedule by phone"))
        }
    }

    @Test("the partner API serves a user's own partner's data for their own token, audited")
    func partnerAPI() async throws {
        try await Harness.with { express in
            let scheduler = try #require(try await express.service.user(email: "scheduler@sunrise.example"))
            let token = try await express.users.sign(
                AccessTokenClaims(
                    iss: express.users.issuer, sub: "s", aud: ["express"], exp: Date().addingTimeInterval(300),
                    scope: "openid",
                    partnerID: DemoPartners.sunriseID.uuidString.lowercased(),
                    userID: scheduler.id!.uuidString.lowercased(), roles: ["scheduler"]))
            let list = try await json(express, .GET, "/api/v1/care-requests", token: token)
            #expect(list.status == .ok)
            #expect(list.text.contains("Eleanor Whitfield"))
            #expect(try await express.audit("api.care_requests.list").count == 1)
            let capabilities = try await json(express, .GET, "/api/v1/capabilities", token: token)
            #expect(capabilities.text.contains("oss_handoff"))
            let document = try await json(express, .GET, "/api/v1/openapi.yaml", token: nil)
            #expect(document.text.hasPrefix("openapi: 3.1"))

            let mercyAdmin = try #require(try await express.service.user(email: "admin@mercy.example"))
            let mercyToken = try await express.users.sign(
                AccessTokenClaims(
                    iss: express.users.issuer, sub: "m", aud: ["express"], exp: Date().addingTimeInterval(300),
                    partnerID: DemoPartners.mercyID.uuidString.lowercased(),
                    userID: mercyAdmin.id!.uuidString.lowercased(), roles: ["admin"]))
            let sunriseRequest = try await express.sunriseCareRequest()
            #expect(
                try await json(express, .GET, "/api/v1/care-requests/\(sunriseRequest)", token: mercyToken).status
                    == .notFound)
            // A token whose partner claim does not match the user is refused.
            let forged = try await express.users.sign(
                AccessTokenClaims(
                    iss: express.users.issuer, sub: "m", aud: ["express"], exp: Date().addingTimeInterval(300),
                    partnerID: DemoPartners.sunriseID.uuidString.lowercased(),
                    userID: mercyAdmin.id!.uuidString.lowercased(), roles: ["admin"]))
            #expect(try await json(express, .GET, "/api/v1/care-requests", token: forged).status == .forbidden)
        }
    }
}
