import ExpressDomain
import Fluent
import Foundation
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Express

/// Teammates' sign-in accounts at the identity provider, from the users page: invitation states, sending an
/// invitation again, editing, deactivating everywhere, reactivating.
@Suite("Users' sign-in accounts")
struct UserAccountsTests {
    typealias Harness = ExpressHarness

    /// The users page's table row of `name`.
    func row(_ page: BrowserResponse, _ name: String) throws -> String {
        try #require(page.text.components(separatedBy: "<tr>").first { $0.contains("<td data-label=\"Name\">\(name)") })
    }

    func id(_ express: Harness, _ email: String) async throws -> UserID {
        try #require(try await express.service.user(email: email)).userID
    }

    @Test("each teammate shows their invitation's state in words, with the button that fits it")
    func states() async throws {
        try await Harness.with(station: .none) { express in
            express.accounts.set(.expired, email: "scheduler@sunrise.example")
            express.accounts.set(.sent, email: "viewer@sunrise.example")
            express.accounts.set(.opened, email: "monitor@sunrise.example")
            let page = try await express.browser("admin@sunrise.example").get("/users")
            #expect(page.status == .ok)
            let expired = try row(page, "Sam Scheduler")
            #expect(expired.contains(">Invitation expired<") && expired.contains(">Send a new invitation</button>"))
            #expect(!expired.contains("Resend invitation"))
            let sent = try row(page, "Vic Viewer")
            #expect(sent.contains(">Invitation sent<") && sent.contains(">Resend invitation</button>"))
            let opened = try row(page, "Synthetic Monitor")
            #expect(opened.contains(">Invitation opened<") && opened.contains(">Resend invitation</button>"))
            let accepted = try row(page, "Ada Admin")
            #expect(accepted.contains(">Active<") && !accepted.contains("invitation</button>"))
            #expect(accepted.contains("href=\"/users/\(try await id(express, "admin@sunrise.example").wire)/edit\""))
            // Users from before Express kept account ids are looked up once, then known by id.
            let sunrise = ["admin", "scheduler", "viewer", "monitor"].map { "\($0)@sunrise.example" }
            #expect(Set(express.accounts.lookedUp) == Set(sunrise))
            for email in sunrise {
                #expect(
                    try await express.service.user(email: email)?.accountID
                        == express.accounts.account(email: email)?.id)
            }
            _ = try await express.browser("admin@sunrise.example").get("/users")
            #expect(express.accounts.lookedUp.count == sunrise.count)
        }
    }

    @Test("the users page still lists the team when the identity provider does not answer")
    func identityDown() async throws {
        try await Harness.with(station: .none) { express in
            express.accounts.down = true
            let page = try await express.browser("admin@sunrise.example").get("/users")
            #expect(page.status == .ok)
            #expect(page.text.contains("Invitation states cannot be shown just now"))
            #expect(try row(page, "Sam Scheduler").contains(">Active<"))
        }
    }

    @Test("an admin sends an invitation again: a new link is emailed, audited with ids only")
    func sendAgain() async throws {
        try await Harness.with(station: .none) { express in
            express.accounts.set(.expired, email: "scheduler@sunrise.example")
            let admin = try await express.browser("admin@sunrise.example")
            let scheduler = try await id(express, "scheduler@sunrise.example")
            let sent = try await admin.post("/users/\(scheduler.wire)/invitation")
            #expect(sent.status == .seeOther && sent.location == "/users")
            let account = try #require(express.accounts.account(email: "scheduler@sunrise.example"))
            #expect(express.accounts.reissued == [account.id])
            let page = try await admin.get("/users")
            #expect(page.text.contains("We have emailed Sam Scheduler a new invitation. Earlier links no longer work."))
            #expect(try row(page, "Sam Scheduler").contains(">Invitation sent<"))
            let audited = try await express.audit("users.invitation")
            #expect(audited.map(\.detail) == ["\(scheduler.wire) reissued"])

            // Once a password was chosen there is nothing to send: Forgot password? instead, and nothing audited.
            express.accounts.set(.accepted, email: "scheduler@sunrise.example")
            _ = try await admin.post("/users/\(scheduler.wire)/invitation")
            #expect(try await admin.get("/users").text.contains("has already chosen a password"))
            #expect(express.accounts.reissued.count == 1)
            #expect(try await express.audit("users.invitation").count == 1)
            // Another partner's admin cannot send one.
            let mercy = try await express.browser("admin@mercy.example")
            #expect(try await mercy.post("/users/\(scheduler.wire)/invitation").status == .notFound)
        }
    }

    @Test("an admin edits a teammate's name and email: the identity provider first, then Express, audited")
    func edit() async throws {
        try await Harness.with(station: .none) { express in
            let admin = try await express.browser("admin@sunrise.example")
            let scheduler = try await id(express, "scheduler@sunrise.example")
            let form = try await admin.get("/users/\(scheduler.wire)/edit")
            #expect(form.status == .ok)
            #expect(
                form.text.contains("<label for=\"name\">Name</label>")
                    && form.text.contains("<label for=\"email\">Email</label>")
                    && form.text.contains(">Save changes</button>") && form.text.contains("name=\"csrf\""))
            #expect(form.text.contains("value=\"scheduler@sunrise.example\""))

            // An email another account has is refused, in the words used when adding; nothing changes.
            express.accounts.add(email: "taken@elsewhere.example", name: "Someone Else")
            let taken = try await admin.post(
                "/users/\(scheduler.wire)/edit", ["name": "Sam Scheduler", "email": "taken@elsewhere.example"])
            #expect(taken.status == .unprocessableEntity)
            #expect(taken.text.contains("This email cannot be used for a new Express account"))
            #expect(try await express.service.user(scheduler)?.email == "scheduler@sunrise.example")
            // A teammate's email is refused as the add form refuses it.
            let teammate = try await admin.post(
                "/users/\(scheduler.wire)/edit", ["name": "Sam", "email": "viewer@sunrise.example"])
            #expect(teammate.status == .unprocessableEntity && teammate.text.contains("already on your team"))

            let saved = try await admin.post(
                "/users/\(scheduler.wire)/edit", ["name": "Samuel Scheduler", "email": "Samuel@Sunrise.example"])
            #expect(saved.status == .seeOther && saved.location == "/users")
            let account = try #require(express.accounts.account(email: "samuel@sunrise.example"))
            #expect(
                express.accounts.updates == [
                    .init(account: account.id, name: "Samuel Scheduler", email: "samuel@sunrise.example", active: nil)
                ])
            let user = try #require(try await express.service.user(scheduler))
            #expect(user.name == "Samuel Scheduler" && user.email == "samuel@sunrise.example")
            #expect(try await express.audit("users.edit").map(\.detail) == ["\(scheduler.wire) name,email"])
        }
    }

    @Test("when the identity provider does not answer, an edit changes nothing and says so")
    func editWhileIdentityDown() async throws {
        try await Harness.with(station: .none) { express in
            let admin = try await express.browser("admin@sunrise.example")
            let scheduler = try await id(express, "scheduler@sunrise.example")
            express.accounts.down = true
            let answer = try await admin.post(
                "/users/\(scheduler.wire)/edit", ["name": "Samuel", "email": "scheduler@sunrise.example"])
            #expect(answer.status == .serviceUnavailable)
            #expect(answer.text.contains("Nothing was saved"))
            #expect(try await express.service.user(scheduler)?.name == "Sam Scheduler")
            #expect(try await express.audit("users.edit").isEmpty)
        }
    }

    @Test("deactivation reaches the identity provider; when it does not answer, Express's change still stands")
    func deactivateEverywhere() async throws {
        try await Harness.with(station: .none) { express in
            let admin = try await express.browser("admin@sunrise.example")
            let scheduler = try await id(express, "scheduler@sunrise.example")
            _ = try await admin.post("/users/\(scheduler.wire)/deactivate")
            let account = try #require(express.accounts.account(email: "scheduler@sunrise.example"))
            #expect(express.accounts.updates == [.init(account: account.id, active: false)])
            #expect(!account.active)
            #expect(try await admin.get("/users").text.contains("was signed out everywhere"))
            #expect(try await express.audit("users.deactivate_sign_in").map(\.outcome) == ["success"])

            express.accounts.down = true
            let viewer = try await id(express, "viewer@sunrise.example")
            _ = try await admin.post("/users/\(viewer.wire)/deactivate")
            #expect(try await express.service.user(viewer)?.active == false)
            #expect(try await admin.get("/users").text.contains("open sessions elsewhere end within a minute"))
            let audited = try await express.audit("users.deactivate_sign_in")
            #expect(audited.first?.outcome == "identity_unavailable" && audited.first?.detail == viewer.wire)
        }
    }

    @Test("an admin reactivates a deactivated teammate: the identity provider first, audited")
    func reactivate() async throws {
        try await Harness.with(station: .none) { express in
            let admin = try await express.browser("admin@sunrise.example")
            let scheduler = try await id(express, "scheduler@sunrise.example")
            _ = try await admin.post("/users/\(scheduler.wire)/deactivate")
            let deactivated = try row(try await admin.get("/users"), "Sam Scheduler")
            #expect(deactivated.contains(">Deactivated<") && deactivated.contains(">Reactivate</button>"))

            express.accounts.down = true
            _ = try await admin.post("/users/\(scheduler.wire)/reactivate")
            #expect(try await express.service.user(scheduler)?.active == false)
            #expect(try await admin.get("/users").text.contains("was not reactivated"))

            express.accounts.down = false
            _ = try await admin.post("/users/\(scheduler.wire)/reactivate")
            #expect(try await express.service.user(scheduler)?.active == true)
            #expect(express.accounts.account(email: "scheduler@sunrise.example")?.active == true)
            #expect(express.accounts.updates.last?.active == true)
            #expect(try await express.audit("users.reactivate").map(\.detail) == [scheduler.wire])
            // The teammate can work again.
            let again = try await express.browser("scheduler@sunrise.example")
            #expect(try await again.get("/help").status == .ok)
        }
    }

    @Test("the help page explains invitations, a forgotten password and two-step sign-in")
    func help() async throws {
        try await Harness.with(station: .none) { express in
            let page = try await express.browser("viewer@sunrise.example").get("/help")
            #expect(page.status == .ok)
            for words in [
                "<h2>Your account</h2>", "works for 72 hours", "“Send me a new link”", "“Forgot password?”",
                "required for admins",
            ] {
                #expect(page.text.contains(words), "\(words)")
            }
        }
    }

    @Test("a callback for a request started by a user deactivated since is recorded and flagged in the audit")
    func callbackOfDeactivatedUser() async throws {
        try await Harness.with { express in
            let api = ExpressAPITests()
            let token = try await express.machine.token(audience: "express", scopes: ["express.callbacks.write"])
            let careRequest = try await express.sunriseCareRequest()
            let scheduler = try await id(express, "scheduler@sunrise.example")
            _ = try await express.browser("admin@sunrise.example").post("/users/\(scheduler.wire)/deactivate")
            let body =
                #"{"event":"care_request.created","care_request_id":"\#(careRequest)","partner_id":"\#(DemoPartners.sunriseID.uuidString.lowercased())","user_id":"\#(scheduler.wire)"}"#
            let now = Int(Date().timeIntervalSince1970)
            let signature = WebhookSignature(secret: express.webhookSecret).sign(
                id: "msg_late", timestamp: now, body: Data(body.utf8))
            let answer = try await api.json(
                express, .POST, "/internal/v1/care-request-callbacks", token: token, body: body,
                headers: [
                    ("webhook-id", "msg_late"), ("webhook-timestamp", String(now)), ("webhook-signature", signature),
                ])
            #expect(answer.status == .noContent)
            #expect(try await CareRequestUserModel.find(UUID(uuidString: careRequest), on: express.app.db) != nil)
            let flagged = try #require(try await express.audit("care_request.callback").first)
            #expect(flagged.outcome == "user_inactive" && flagged.detail == "started_by_inactive_user")
            #expect(flagged.userID == scheduler.rawValue && flagged.careRequestIDs.contains(careRequest))
        }
    }
}

extension FakeAccounts.Update {
    init(account: String, active: Bool) { self.init(account: account, name: nil, email: nil, active: active) }
}
