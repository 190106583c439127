import ConsoleDomain
import ExpressInternalAPI
import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import OpenAPIRuntime
import Platform
import Station
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import Console

/// Partner onboarding and market administration, against a real Station (the admin's own token) and a stub of
/// Express's internal API.
@Suite("Console administration pages")
struct AdminPagesTests {
    let denver = DemoData.denver

    func partnerForm(_ extra: [(String, String)] = []) -> [(String, String)] {
        [
            ("csrf", "csrf-\(StaffMember.ops.id)"), ("name", "Alpine Assisted Living"), ("slug", ""),
            ("market_ids", denver.wire), ("market_ids", DemoData.phoenix.wire), ("station_care_requests", "on"),
            ("oss_handoff", "on"), ("admin_email", "Ada@Alpine.example"), ("admin_name", "Ada Admin"),
        ] + extra
    }

    /// Station's partners, as the operations admin sees them.
    func stationPartners(_ console: ConsoleHarness) async throws -> [AdminStation.Partner] {
        let token = try await console.stationToken(for: .ops)
        return try await AdminStation(client: console.service.station.client(token: token)).partners()
    }

    @Test("creating a partner makes it in Station, then in Express, and shows the first admin's one-time link")
    func createPartner() async throws {
        let express = StubTransport("Express")
        let onboarded = ExpressOnboardings()
        express.stub("onboardPartner", onboarded.answer(status: .created))
        try await ConsoleHarness.with(express: express) { console in
            let browser = try await console.signIn(as: .ops)
            let form = try await browser.get("/admin/partners/new")
            #expect(form.status == .ok)
            #expect(form.text.contains(#"name="market_ids" value="\#(denver.wire)""#))

            let page = try await browser.send(.POST, "/admin/partners", form: partnerForm())
            #expect(page.status == .ok, "\(page.text)")
            #expect(page.text.contains("Alpine Assisted Living is ready"))
            #expect(page.text.contains("https://identity.test/set-password?token=one-time"))

            let partner = try #require(try await stationPartners(console).first { $0.slug == "alpine-assisted-living" })
            #expect(Set(partner.marketIds) == [denver.wire, DemoData.phoenix.wire])
            let body = try #require(onboarded.bodies.first)
            #expect(body.partnerId == partner.id && body.slug == "alpine-assisted-living")
            #expect(body.stationCareRequests && body.ossHandoff)
            #expect(body.firstAdmin == .init(email: "ada@alpine.example", name: "Ada Admin"))
            #expect(try await console.audit("partner.created").first?.detail == "partner \(partner.id)")
            #expect(try await console.audit("partner.onboarded").first?.outcome == "success")
            #expect(try await browser.get("/admin/partners").text.contains("alpine-assisted-living"))
            let tracked = await console.analytics.tracked
            #expect(tracked.map(\.event) == ["Partner Onboarded"])
            #expect(tracked.first?.partnerID == partner.id && tracked.first?.userId == StaffMember.ops.id)
        }
    }

    @Test("a refused form comes back with everything typed and each message beside its field; nothing is created")
    func validationKeepsInput() async throws {
        try await ConsoleHarness.with { console in
            let browser = try await console.signIn(as: .ops)
            let page = try await browser.send(
                .POST, "/admin/partners",
                form: [
                    ("csrf", "csrf-\(StaffMember.ops.id)"), ("name", "Alpine <Living>"), ("slug", "Alpine!"),
                    ("market_ids", denver.wire), ("oss_handoff", "on"), ("admin_email", "ada-at-alpine"),
                    ("admin_name", "Ada Admin"),
                ])
            #expect(page.status == .unprocessableEntity)
            let html = page.text
            #expect(html.contains(#"value="Alpine &lt;Living&gt;""#))
            #expect(html.contains(#"value="Alpine!""#) && html.contains(#"id="slug-error""#))
            #expect(html.contains(#"value="ada-at-alpine""#) && html.contains(#"id="admin_email-error""#))
            #expect(html.contains(#"id="oss_handoff-error""#))
            #expect(html.contains(#"value="\#(denver.wire)" checked"#))
            #expect(html.contains(#"value="Ada Admin""#))
            #expect(try await stationPartners(console).allSatisfy { $0.name != "Alpine <Living>" })

            let noMarket = try await browser.send(
                .POST, "/admin/partners", form: partnerForm().filter { $0.0 != "market_ids" })
            #expect(noMarket.status == .unprocessableEntity)
            #expect(noMarket.text.contains(#"id="market_ids-error""#))
            #expect(noMarket.text.contains(#"id="slug" name="slug" type="text" value="alpine-assisted-living""#))
        }
    }

    @Test("a slug Station has already is refused with Station's words beside the slug; Express is not called")
    func slugTaken() async throws {
        try await ConsoleHarness.with { console in
            let browser = try await console.signIn(as: .ops)
            let page = try await browser.send(
                .POST, "/admin/partners", form: partnerForm().map { $0.0 == "slug" ? ("slug", "sunrise") : $0 })
            #expect(page.status == .conflict)
            #expect(page.text.contains(#"id="slug-error""#) && page.text.contains("sunrise is taken already"))
            #expect(page.text.contains(#"value="Alpine Assisted Living""#))
            #expect(try await console.audit("partner.created").first?.outcome == "failed")
        }
    }

    @Test("when Express fails after Station, the page says so, keeps what was typed, and trying again finishes")
    func expressFailureThenRetry() async throws {
        let express = StubTransport("Express")
        let onboarded = ExpressOnboardings()
        express.stub("onboardPartner", onboarded.answer(status: .serviceUnavailable))
        try await ConsoleHarness.with(express: express) { console in
            let browser = try await console.signIn(as: .ops)
            let failed = try await browser.send(.POST, "/admin/partners", form: partnerForm())
            #expect(failed.status == .serviceUnavailable)
            #expect(failed.text.contains("was created in Station, but Express did not finish"))
            #expect(failed.text.contains("The identity provider is down."))
            #expect(failed.text.contains(#"value="Ada@Alpine.example""#))
            let partner = try #require(try await stationPartners(console).first { $0.slug == "alpine-assisted-living" })
            #expect(try await browser.get("/admin/partners").text.contains("/admin/partners/\(partner.id)/express"))

            express.stub("onboardPartner", onboarded.answer(status: .created))
            let retried = try await browser.send(
                .POST, "/admin/partners/\(partner.id)/express",
                form: [
                    ("csrf", "csrf-\(StaffMember.ops.id)"), ("station_care_requests", "on"),
                    ("admin_email", "ada@alpine.example"), ("admin_name", "Ada Admin"),
                ])
            #expect(retried.status == .ok, "\(retried.text)")
            #expect(retried.text.contains("https://identity.test/set-password?token=one-time"))
            #expect(onboarded.bodies.map(\.partnerId) == [partner.id, partner.id])
            #expect(onboarded.bodies.last?.ossHandoff == false)
            #expect(try await console.audit("partner.onboarded").map(\.outcome) == ["success", "failed"])
            #expect(!(try await browser.get("/admin/partners").text.contains("/express")))
        }
    }

    @Test("administration is for operations admins only")
    func othersAreRefused() async throws {
        try await ConsoleHarness.with(station: .stub(StubTransport("Station"))) { console in
            for staff in [StaffMember.nurse, .dispatcher] {
                let browser = try await console.signIn(as: staff)
                #expect(try await browser.get("/admin/partners").status == .forbidden)
                #expect(try await browser.get("/admin/markets/new").status == .forbidden)
                let post = try await browser.send(
                    .POST, "/admin/service-lines", form: [("csrf", "csrf-\(staff.id)"), ("name", "X"), ("code", "x1")])
                #expect(post.status == .forbidden)
            }
        }
    }

    @Test("a market whose ZIP code another market serves is refused with Station's words beside the ZIP codes")
    func marketZipConflict() async throws {
        try await ConsoleHarness.with { console in
            let browser = try await console.signIn(as: .ops)
            let page = try await browser.send(.POST, "/admin/markets", form: marketForm(zips: "81501, 80202"))
            #expect(page.status == .conflict, "\(page.text)")
            #expect(page.text.contains(#"id="zip_codes-error""#))
            #expect(page.text.contains("80202 is served by the Denver market"))
            #expect(page.text.contains(#"value="Grand Junction""#) && page.text.contains("81501, 80202</textarea>"))
            #expect(try await console.audit("market.created").first?.outcome == "failed")
        }
    }

    @Test("a market is created, edited and closed for a day, each change audited")
    func marketLifecycle() async throws {
        try await ConsoleHarness.with { console in
            let browser = try await console.signIn(as: .ops)
            let created = try await browser.send(.POST, "/admin/markets", form: marketForm(zips: "81501\n81504"))
            #expect(created.status == .seeOther, "\(created.text)")
            let path = try #require(created.location)
            #expect(try await browser.follow(created).text.contains("81501, 81504"))

            var edit = marketForm(zips: "81501 81504 81505")
            edit[0] = ("csrf", "csrf-\(StaffMember.ops.id)")
            #expect(try await browser.send(.POST, path, form: edit).status == .seeOther)
            #expect(try await browser.get(path).text.contains("81501, 81504, 81505"))

            let day = "2099-12-25"
            let closure = try await browser.send(
                .POST, path + "/closures",
                form: [("csrf", "csrf-\(StaffMember.ops.id)"), ("date", day), ("reason", "Christmas")])
            #expect(closure.status == .seeOther, "\(closure.text)")
            #expect(try await browser.get(path).text.contains("Christmas"))
            let reopened = try await browser.send(
                .POST, path + "/closures/\(day)/remove", form: [("csrf", "csrf-\(StaffMember.ops.id)")])
            #expect(reopened.status == .seeOther)
            #expect(!(try await browser.get(path).text.contains("Christmas")))
            for action in ["market.created", "market.updated", "closure.added", "closure.removed"] {
                #expect(try await console.audit(action).first?.outcome == "success", "\(action)")
            }
        }
    }

    @Test("service lines are listed and added; a taken code is shown beside the code")
    func serviceLines() async throws {
        try await ConsoleHarness.with { console in
            let browser = try await console.signIn(as: .ops)
            let form = [("csrf", "csrf-\(StaffMember.ops.id)"), ("name", "Hospice"), ("code", "hospice")]
            #expect(try await browser.send(.POST, "/admin/service-lines", form: form).status == .seeOther)
            #expect(try await browser.get("/admin/service-lines").text.contains("<code>hospice</code>"))
            let again = try await browser.send(
                .POST, "/admin/service-lines",
                form: [("csrf", "csrf-\(StaffMember.ops.id)"), ("name", "Hospice care"), ("code", "hospice")])
            #expect(again.status == .conflict)
            #expect(again.text.contains(#"id="code-error""#) && again.text.contains(#"value="Hospice care""#))
        }
    }

    @Test("a service line's visit length is set on its row; a length out of range is refused beside it, as typed")
    func visitLength() async throws {
        try await ConsoleHarness.with { console in
            let browser = try await console.signIn(as: .ops)
            let csrf = ("csrf", "csrf-\(StaffMember.ops.id)")
            let made = try await browser.send(
                .POST, "/admin/service-lines",
                form: [csrf, ("name", "Wound care"), ("code", "wound_care"), ("visit_minutes", "40")])
            #expect(made.status == .seeOther)
            let page = try await browser.get("/admin/service-lines")
            let id = DemoData.acuteCare.wire
            #expect(page.text.contains(#"id="visit-\#(id)" name="visit_minutes""#))
            #expect(page.text.contains(#"value="40""#))
            let saved = try await browser.send(
                .POST, "/admin/service-lines/\(id)/visit-length", form: [csrf, ("visit_minutes", "75")])
            #expect(saved.status == .seeOther)
            let after = try await browser.follow(saved)
            #expect(after.text.contains("A visit of Acute care now lasts 75 minutes."))
            #expect(after.text.contains(#"id="visit-\#(id)" name="visit_minutes" type="number""#))
            #expect(after.text.contains(#"class="minutes" value="75""#))
            let bad = try await browser.send(
                .POST, "/admin/service-lines/\(id)/visit-length", form: [csrf, ("visit_minutes", "5 min")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains(#"id="visit-\#(id)-error""#) && bad.text.contains("from 10 to 480"))
            #expect(bad.text.contains(#"value="5 min""#))
            let unknown = try await browser.send(
                .POST, "/admin/service-lines/\(UUID().uuidString)/visit-length", form: [csrf, ("visit_minutes", "30")])
            #expect(unknown.status == .notFound)
            let audits = try await console.audit("service_line.updated")
            #expect(audits.map(\.outcome).sorted() == ["failed", "success"])
            let badNew = try await browser.send(
                .POST, "/admin/service-lines",
                form: [csrf, ("name", "Hospice"), ("code", "hospice"), ("visit_minutes", "600")])
            #expect(badNew.status == .unprocessableEntity && badNew.text.contains(#"id="visit_minutes-error""#))
        }
    }

    @Test("a change that Policy refuses is not made, and the refusal is audited with Policy's decision")
    func policyRefuses() async throws {
        try await ConsoleHarness.with(station: .stub(Self.stationWithDenver())) { console in
            console.policy.deny(kind: "partner")
            let browser = try await console.signIn(as: .ops)
            #expect(try await browser.send(.POST, "/admin/partners", form: partnerForm()).status == .forbidden)
            let denied = try #require(try await console.audit("partner.created").first)
            #expect(denied.outcome == "denied" && denied.decisionID?.hasPrefix("dec_test_") == true)
            #expect(console.policy.asked.map(\.action) == [.manage])
        }
    }

    @Test("a market change Station refuses over bookings lists the booked care requests and keeps the form")
    func marketChangeOverBookings() async throws {
        let station = Self.stationWithDenver()
        let booked = CareRequestID.random()
        station.stub(
            "updateMarket", status: .conflict,
            json:
                #"{"type":"about:blank","title":"Conflict","status":409,"detail":"Windows ahead have more bookings than that many places: 1 care request holds them.","affected_care_requests":["\#(booked.wire)"]}"#
        )
        station.stub("listClosures", json: "[]")
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let browser = try await console.signIn(as: .ops)
            var form = marketForm(zips: "80202")
            form[form.count - 1] = ("capacity_per_window", "0")
            let page = try await browser.send(.POST, "/admin/markets/\(DemoData.denver.wire)", form: form)
            #expect(page.status == .conflict)
            #expect(page.text.contains("1 care request holds them") && page.text.contains(booked.wire))
            #expect(
                page.text.contains(
                    #"id="capacity_per_window" name="capacity_per_window" type="text" inputmode="numeric" value="0""#))
            #expect(try await console.audit("market.updated").first?.outcome == "failed")
        }
    }

    /// A stub Station that lists Denver alone.
    static func stationWithDenver() -> StubTransport {
        let station = StubTransport("Station")
        station.stub(
            "listMarkets",
            json:
                #"[{"id":"\#(DemoData.denver.wire)","name":"Denver","state":"CO","time_zone":"America/Denver","zip_codes":["80202"],"opens_at":"08:00","closes_at":"20:00","window_minutes":120,"capacity_per_window":4,"road_factor":1.3,"average_speed_mph":25}]"#
        )
        station.stub("listServiceLines", json: "[]")
        station.stub("listCareTeams", json: "[]")
        return station
    }

    func marketForm(zips: String) -> [(String, String)] {
        [
            ("csrf", "csrf-\(StaffMember.ops.id)"), ("name", "Grand Junction"), ("state", "co"),
            ("time_zone", "America/Denver"), ("zip_codes", zips), ("opens_at", "08:00"), ("closes_at", "20:00"),
            ("window_minutes", "120"), ("capacity_per_window", "3"),
        ]
    }
}

/// Express's `onboardPartner` as the tests answer it, keeping every request body.
final class ExpressOnboardings: Sendable {
    typealias Body = ExpressInternalAPI.Components.Schemas.PartnerOnboarding

    private let received = NIOLockedValueBox<[Body]>([])
    var bodies: [Body] { received.withLockedValue { $0 } }

    func answer(status: HTTPResponse.Status) -> StubTransport.Handler {
        { _, body in
            let data = try await Data(collecting: try #require(body), upTo: 1 << 16)
            let request = try JSONDecoder().decode(Body.self, from: data)
            self.received.withLockedValue { $0.append(request) }
            var response = HTTPResponse(status: status)
            if status == .created {
                response.headerFields[.contentType] = "application/json"
                return (
                    response,
                    HTTPBody(
                        #"{"partner_id":"\#(request.partnerId)","admin_user_id":"\#(UUID().uuidString.lowercased())","set_password_link":"https://identity.test/set-password?token=one-time"}"#
                    )
                )
            }
            response.headerFields[.contentType] = "application/problem+json"
            return (
                response,
                HTTPBody(
                    #"{"type":"about:blank","title":"Unavailable","status":503,"detail":"The identity provider is down."}"#
                )
            )
        }
    }
}
