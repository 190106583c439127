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

@Suite("Express pages")
struct PagesTests {
    typealias Harness = ExpressHarness

    @Test("a signed-out visitor is sent to sign-in and back where they were going")
    func signedOut() async throws {
        try await Harness.with { express in
            let response = try await express.app.testing().sendRequest(.GET, "/care-requests?tab=past")
            #expect(response.status == .seeOther)
            #expect(response.location == "/sign-in?return=/care-requests?tab%3Dpast")
        }
    }

    @Test("the current list shows the partner's requests with every column, and the access is audited")
    func currentList() async throws {
        try await Harness.with { express in
            let browser = try await express.browser("scheduler@sunrise.example")
            let page = try await browser.get("/care-requests")
            #expect(page.status == .ok)
            for text in ["Eleanor Whitfield", "Service line", "Market", "Source", "Created by", "Denver", "hours ago"] {
                #expect(page.text.contains(text), "\(text)")
            }
            #expect(!page.text.contains("Margaret Okafor"))
            #expect(page.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            let events = try await express.audit("care_requests.list")
            #expect(events.count == 1)
            #expect(events[0].careRequestIDs.split(separator: " ").count == 12)
            #expect(events[0].partnerID == DemoPartners.sunriseID)
            #expect(await express.analytics.events == ["Care Requests Listed"])
        }
    }

    @Test("the past tab holds complete and archived requests")
    func pastList() async throws {
        try await Harness.with { express in
            let page = try await express.browser("scheduler@sunrise.example").get("/care-requests?tab=past")
            #expect(page.text.contains("Complete") && page.text.contains("Archived"))
            #expect(!page.text.contains("Waiting for a nurse"))
        }
    }

    @Test("a viewer reads but sees no way to start a request, and the URL refuses")
    func viewer() async throws {
        try await Harness.with { express in
            let viewer = try await express.browser("viewer@sunrise.example")
            let list = try await viewer.get("/care-requests")
            #expect(list.status == .ok)
            #expect(!list.text.contains("/care-requests/new"))
            #expect(try await viewer.get("/care-requests/new").status == .forbidden)
            #expect(try await viewer.post("/care-requests/new", ["patient_id": UUID().uuidString]).status == .forbidden)
            #expect(express.handoffs.pushed.isEmpty)
            #expect(try await viewer.get("/users").status == .forbidden)
        }
    }

    @Test("a detail page shows the request, its history and, to admins, who viewed it")
    func detail() async throws {
        try await Harness.with { express in
            let id = try await express.sunriseCareRequest()
            let scheduler = try await express.browser("scheduler@sunrise.example")
            let page = try await scheduler.get("/care-requests/\(id)")
            #expect(page.status == .ok)
            #expect(page.text.contains("Status history") && page.text.contains("Visit address"))
            #expect(!page.text.contains("Who viewed"))
            let admin = try await express.browser("admin@sunrise.example")
            let adminPage = try await admin.get("/care-requests/\(id)")
            #expect(adminPage.text.contains("Who viewed this patient"))
            #expect(adminPage.text.contains("Sam Scheduler"))
            #expect(try await scheduler.get("/care-requests/not-an-id").status == .notFound)
        }
    }

    @Test("search finds a patient and offers a new care request for them")
    func patientSearch() async throws {
        try await Harness.with { express in
            let page = try await express.browser("scheduler@sunrise.example").searchPatients("whitfield")
            #expect(page.text.contains("Eleanor Whitfield"))
            #expect(page.text.contains("New care request for this patient"))
            #expect(try await express.audit("patients.search").count == 1)
        }
    }

    @Test("new care request pushes the handoff and sends the browser to OSS with the handle alone")
    func handoff() async throws {
        try await Harness.with { express in
            express.handoffs.stub(.accept)
            let patient = UUID()
            let scheduler = try await express.browser("scheduler@sunrise.example")
            let response = try await scheduler.post("/care-requests/new", ["patient_id": patient.uuidString])
            #expect(response.status == .seeOther)
            #expect(response.location == "http://localhost:8081/partner/start?handoff=handle-1")
            let pushed = try #require(express.handoffs.pushed.first)
            #expect(pushed.partner == PartnerID(DemoPartners.sunriseID))
            #expect(pushed.patient == PatientID(patient))
            #expect(pushed.returnURL == "http://localhost:8080/care-requests/returned")
            let event = try #require(try await express.audit("care_request.start").first)
            #expect(event.detail?.hasPrefix("handoff ") == true)
            #expect(event.detail?.contains("handle-1") == false)
        }
    }

    @Test("a form without the session's CSRF token is refused")
    func csrf() async throws {
        try await Harness.with { express in
            let scheduler = try await express.browser("scheduler@sunrise.example")
            let response = try await scheduler.post("/care-requests/new", [:], defaults: false)
            #expect(response.status == .forbidden)
            #expect(express.handoffs.pushed.isEmpty)
        }
    }

    @Test("coming back from OSS: created shows the message and a link; cancelled says nothing was made")
    func returned() async throws {
        try await Harness.with { express in
            let id = try await express.sunriseCareRequest()
            let scheduler = try await express.browser("scheduler@sunrise.example")
            let back = try await scheduler.get("/care-requests/returned?outcome=created&care_request_id=\(id)")
            #expect(back.location == "/care-requests")
            let list = try await scheduler.get("/care-requests")
            #expect(list.text.contains("Your care request was created."))
            #expect(list.text.contains(">View it<"))
            let foreign = try await express.browser("admin@mercy.example").get(
                "/care-requests/returned?outcome=created&care_request_id=\(UUID())")
            #expect(foreign.location == "/care-requests")
            _ = try await scheduler.get("/care-requests/returned?outcome=cancelled")
            #expect(try await scheduler.get("/care-requests").text.contains("Nothing was created"))
        }
    }

    @Test("when Station is down, the page says so and offers a retry; nothing crashes")
    func stationDown() async throws {
        try await Harness.with(station: .unreachable) { express in
            let page = try await express.browser("scheduler@sunrise.example").get("/care-requests")
            #expect(page.status == .serviceUnavailable)
            #expect(page.text.contains("Try again"))
            #expect(!page.text.contains("Error"))
        }
    }

    @Test("if the audit write fails, no PHI is served")
    func auditFailure() async throws {
        try await Harness.with { express in
            let browser = try await express.browser("scheduler@sunrise.example")
            try await express.app.db.sql.raw("DROP TABLE audit_events").run()
            let page = try await browser.get("/care-requests")
            #expect(page.status == .internalServerError)
            #expect(!page.text.contains("Whitfield"))
        }
    }
}
