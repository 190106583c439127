import Fluent
import Foundation
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Express

/// Issue 17's findings at Express's web edge: each test failed before its fix.
@Suite("Express trust")
struct TrustTests {
    typealias Harness = ExpressHarness

    @Test("after sign-in the browser goes only to a path on Express, whatever the return parameter hides")
    func noOpenRedirect() {
        for hostile in [
            "/\t/evil.example", "/\n/evil.example", "/\\evil.example", "//evil.example", "/\u{202E}/evil.example",
            "https://evil.example/", "/ /evil.example", "/%2F/evil.example",
        ] {
            #expect(AuthController.safeReturn(hostile) == "/care-requests", "\(hostile.debugDescription)")
        }
        #expect(AuthController.safeReturn("/care-requests?tab=past") == "/care-requests?tab=past")
        #expect(
            AuthController.safeReturn("/care-requests/returned?outcome=created")
                == "/care-requests/returned?outcome=created")
    }
}

extension TrustTests {
    @Test("analytics get only known outcome codes from the return URL, never its free text")
    func analyticsKnownValuesOnly() async throws {
        try await Harness.with(station: .none) { express in
            let scheduler = try await express.browser("scheduler@sunrise.example")
            _ = try await scheduler.get("/care-requests/returned?outcome=%3Cscript%3Ealert(1)%3C/script%3E")
            _ = try await scheduler.get("/care-requests/returned?outcome=error&reason=Eleanor%20Whitfield")
            _ = try await scheduler.get("/care-requests/returned?outcome=cancelled")
            let returned = await express.analytics.tracked.filter { $0.event == "Handoff Returned" }.map(\.properties)
            let sunrise: AnalyticsValue = .string(PartnerID(DemoPartners.sunriseID).wire)
            #expect(
                returned == [
                    ["outcome": .string("unknown"), "partner_id": sunrise],
                    ["outcome": .string("error"), "reason": .string("unknown"), "partner_id": sunrise],
                    ["outcome": .string("cancelled"), "partner_id": sunrise],
                ])
        }
    }

    @Test("after an emergency sign Express says call 911; after an OSS error it says what went wrong, not welcome back")
    func emergencyAndErrorOutcomes() async throws {
        try await Harness.with { express in
            let scheduler = try await express.browser("scheduler@sunrise.example")
            for outcome in ["emergency", "needs_call"] {
                _ = try await scheduler.get("/care-requests/returned?outcome=\(outcome)")
                let list = try await scheduler.get("/care-requests").text
                #expect(
                    list.contains("call 911 now") && !list.contains("needs a conversation with our team"), "\(outcome)")
            }
            _ = try await scheduler.get("/care-requests/returned?outcome=error&reason=expired")
            let expired = try await scheduler.get("/care-requests").text
            #expect(expired.contains("had expired") && !expired.contains("Welcome back"))
            _ = try await scheduler.get("/care-requests/returned?outcome=error")
            let unknown = try await scheduler.get("/care-requests").text
            #expect(unknown.contains("Something went wrong in online scheduling") && !unknown.contains("Welcome back"))
        }
    }
}

extension TrustTests {
    @Test("a not-found view is audited with the id in its one lowercase form, so who-viewed and the export find it")
    func auditIDsCanonical() async throws {
        try await Harness.with { express in
            let id = try await express.sunriseCareRequest()
            let mercy = try await express.browser("admin@mercy.example")
            #expect(try await mercy.get("/care-requests/\(id.uppercased())").status == .notFound)
            let event = try #require(try await express.audit("care_request.view").first)
            #expect(event.outcome == "not_found")
            #expect(event.careRequestIDs == " \(id.lowercased()) ")
            let viewers = try await express.service.audit.viewers(
                of: try #require(.init(wire: id)), partner: .init(rawValue: DemoPartners.mercyID))
            #expect(viewers.map(\.id) == [event.id])
            var exported: [String] = []
            try await ExpressApp.exportAudit(express.app, since: nil, careRequest: id.uppercased()) {
                exported.append($0)
            }
            #expect(exported.count == 1 && exported[0].contains(id.lowercased()))
        }
    }
}

extension TrustTests {
    @Test("adding an email used by another organization gets the same answer as any unusable email")
    func neutralEmailAnswer() async throws {
        try await Harness.with(station: .none) { express in
            express.accounts.stub("patient@example.com", .exists)
            let admin = try await express.browser("admin@sunrise.example")
            func emailError(_ email: String) async throws -> String {
                let page = try await admin.post("/users", ["email": email, "name": "Someone", "role": "viewer"])
                #expect(page.status == .unprocessableEntity)
                let text = page.text
                guard let start = text.range(of: "id=\"email-error\">"),
                    let end = text.range(of: "</p>", range: start.upperBound..<text.endIndex)
                else { return "" }
                return String(text[start.upperBound..<end.lowerBound])
            }
            let otherPartner = try await emailError("admin@mercy.example")
            let signInElsewhere = try await emailError("patient@example.com")
            #expect(!otherPartner.isEmpty && otherPartner == signInElsewhere)
            #expect(!otherPartner.contains("already has an Express account"))
            #expect(express.accounts.created.isEmpty)
        }
    }
}

extension TrustTests {
    @Test("admins deactivating and demoting each other all at once always leave the partner an active admin")
    func lastAdminRace() async throws {
        try await Harness.with(station: .none) { express in
            var emails = ["admin@sunrise.example"]
            for n in 1...5 {
                let user = UserModel(
                    partnerID: DemoPartners.sunriseID, email: "admin\(n)@sunrise.example", name: "Admin \(n)",
                    role: .admin,
                    at: Date())
                try await user.create(on: express.app.db)
                express.accounts.add(email: user.email, name: user.name)
                emails.append(user.email)
            }
            var browsers: [TestBrowser] = []
            var ids: [String] = []
            for email in emails {
                browsers.append(try await express.browser(email))
                ids.append(try #require(try await express.service.user(email: email)).id!.uuidString.lowercased())
            }
            let ring = Array(zip(browsers, ids.indices.map { ids[($0 + 1) % ids.count] }))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, (browser, next)) in ring.enumerated() {
                    group.addTask {
                        _ =
                            index.isMultiple(of: 2)
                            ? try await browser.post("/users/\(next)/deactivate", [:])
                            : try await browser.post("/users/\(next)/role", ["role": "viewer"])
                    }
                }
                try await group.waitForAll()
            }
            let admins = try await UserModel.query(on: express.app.db).filter(\.$partnerID == DemoPartners.sunriseID)
                .filter(\.$role == "admin").filter(\.$active == true).count()
            #expect(admins >= 1)
        }
    }
}

extension TrustTests {
    @Test(
        "patient search keeps names out of every URL: the text goes by POST, pages by opaque tokens; bad input gets a clear 400"
    )
    func noPHIInSearchURLs() async throws {
        try await Harness.with { express in
            let scheduler = try await express.browser("scheduler@sunrise.example")
            let user = try #require(try await express.service.user(email: "scheduler@sunrise.example"))
            let preferences = try await express.service.preferences(user.userID)
            preferences.pageSize = 1
            try await preferences.save(on: express.app.db)

            let posted = try await scheduler.post("/patients", ["q": "Whitfield"])
            #expect(posted.status == .seeOther)
            let location = try #require(posted.location)
            #expect(location.hasPrefix("/patients?search=") && !location.lowercased().contains("whitfield"))
            let first = try await scheduler.get(location)
            #expect(first.text.contains("Eleanor Whitfield"))
            // The form posts the text; no link on the page carries it.
            #expect(first.text.contains("<form method=\"post\" action=\"/patients\""))
            #expect(!first.text.contains("?q=") && !first.text.contains("cursor="))

            let broad = try await scheduler.get(
                try #require(try await scheduler.post("/patients", ["q": "e"]).location))
            let more = try #require(
                broad.text.range(of: "href=\"/patients?search=").map {
                    broad.text[$0.lowerBound...].dropFirst(6).prefix { $0 != "\"" }
                })
            let next = String(more).replacingOccurrences(of: "&amp;", with: "&")
            #expect(next.contains("&page="))
            for name in ["whitfield", "jimenez", "eleanor", "harold"] { #expect(!next.lowercased().contains(name)) }
            #expect(try await scheduler.get(next).status == .ok)

            let forged = try await scheduler.get(
                next.components(separatedBy: "&page=")[0] + "&page="
                    + Data("Whitfield|Eleanor".utf8).base64EncodedString())
            #expect(forged.status == .badRequest)
            #expect(forged.text.contains("That page link is not valid"))
            let long = try await scheduler.post("/patients", ["q": String(repeating: "a", count: 101)])
            #expect(long.status == .badRequest)
            #expect(long.text.contains("at most 100 characters"))
            #expect(try await scheduler.post("/patients", ["q": "Whitfield"], defaults: false).status == .forbidden)
        }
    }
}

extension TrustTests {
    @Test("with phase 1 off, the list, the detail page and online scheduling (phase 2, though switched on) are all off")
    func phaseOneOff() async throws {
        try await Harness.with { express in
            let id = try await express.sunriseCareRequest()
            try await express.service.setFlag(
                .stationCareRequests, partner: .init(rawValue: DemoPartners.sunriseID), enabled: false)
            #expect(try await express.service.flags(.init(rawValue: DemoPartners.sunriseID)).isEmpty)
            let scheduler = try await express.browser("scheduler@sunrise.example")
            #expect(try await scheduler.get("/care-requests").text.contains("not available in Express"))
            let detail = try await scheduler.get("/care-requests/\(id)")
            #expect(detail.status == .notFound)
            #expect(detail.text.contains("not available in Express") && !detail.text.contains("Whitfield"))
            #expect(try await express.audit("care_request.view").isEmpty)
            #expect(try await scheduler.get("/care-requests/new").text.contains("Schedule by phone"))
            #expect(try await scheduler.post("/care-requests/new", [:]).text.contains("Schedule by phone"))
            #expect(express.handoffs.pushed.isEmpty)

            let user = try #require(try await express.service.user(email: "scheduler@sunrise.example"))
            let token = try await express.users.sign(
                AccessTokenClaims(
                    iss: express.users.issuer, sub: "s", aud: ["express"], exp: Date().addingTimeInterval(300),
                    scope: "openid",
                    partnerID: DemoPartners.sunriseID.uuidString.lowercased(), userID: user.id!.uuidString.lowercased(),
                    roles: ["scheduler"]))
            var headers = HTTPHeaders()
            headers.bearerAuthorization = .init(token: token)
            let capabilities = try await express.app.testing().sendRequest(
                .GET, "/api/v1/capabilities", headers: headers)
            #expect(capabilities.status == .ok && !capabilities.text.contains("oss_handoff"))
            #expect(
                try await express.app.testing().sendRequest(.GET, "/api/v1/care-requests/\(id)", headers: headers)
                    .status == .forbidden)
        }
    }
}

extension TrustTests {
    @Test("switching phase 2 on while phase 1 is off says it is not in effect")
    func phaseTwoWaits() async throws {
        try await Harness.with(station: .none) { express in
            _ = try await ExpressApp.setFlag(
                express.app, partner: "mercy", flag: "station_care_requests", enabled: false)
            let message = try await ExpressApp.setFlag(
                express.app, partner: "mercy", flag: "oss_handoff", enabled: true)
            #expect(message.contains("not in effect until station_care_requests is on"))
            #expect(
                try await express.browser("admin@mercy.example").get("/care-requests/new").text.contains(
                    "Schedule by phone"))
            let on = try await ExpressApp.setFlag(
                express.app, partner: "mercy", flag: "station_care_requests", enabled: true)
            #expect(!on.contains("not in effect"))
            #expect(
                !(try await express.browser("admin@mercy.example").get("/care-requests/new").text.contains(
                    "Schedule by phone")))
        }
    }
}
