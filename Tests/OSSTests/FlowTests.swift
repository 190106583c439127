import Fluent
import Foundation
@testable import OSS
import Platform
import Testing
import Vapor
import VaporTesting
import Vocabulary

@Suite("Onboarding flows")
struct FlowTests {
    typealias Harness = OSSHarness

    func newDraft(_ oss: Harness, patient: String? = nil) async throws -> (Harness.Browser, String, String) {
        let user = try await oss.expressUser("scheduler@sunrise.example")
        let handle = try #require(try await oss.pushHandoff(user: user, patient: patient).1)
        let browser = try await oss.browser(partner: user)
        return (browser, try await oss.redeem(browser, handle), user)
    }

    func careRequests(_ oss: Harness) async throws -> Int {
        try await oss.station.db.sql.raw("SELECT COUNT(*) AS n FROM care_requests").first()!.decode(column: "n", as: Int.self)
    }

    @Test("a partner user goes from the handoff to a created care request and back to Express with its id")
    func partnerFlow() async throws {
        try await Harness.with { oss in
            let before = try await careRequests(oss)
            let (browser, draft, user) = try await newDraft(oss)
            try await oss.fill(browser, draft: draft)
            let review = try await browser.get(draft.replacingOccurrences(of: "/patient", with: "/review"))
            #expect(review.text.contains("Nora Newcomer") && review.text.contains("Submit request"))
            let submit = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))
            #expect(submit.status == .seeOther, "\(submit.text.prefix(500))")
            let location = try #require(submit.location)
            #expect(location.hasPrefix("http://localhost:8080/care-requests/returned?"))
            #expect(location.contains("outcome=created") && location.contains("care_request_id="))
            #expect(try await careRequests(oss) == before + 1)
            let created = try await oss.station.db.sql.raw("SELECT source, created_by_user_id, status FROM care_requests ORDER BY created_ms DESC LIMIT 1").first()!
            #expect(try created.decode(column: "source", as: String.self) == "oss_partner")
            #expect(try created.decode(column: "created_by_user_id", as: String.self) == user)
            #expect(try created.decode(column: "status", as: String.self) == "requested")
            #expect(try await OutboxModel.query(on: oss.app.db).count() == 1)

            // Submitting again, or reloading, makes nothing new.
            let again = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))
            #expect(again.location == location)
            #expect(try await careRequests(oss) == before + 1)
        }
    }

    @Test("concurrent submits of one draft make one care request")
    func concurrentSubmit() async throws {
        try await Harness.with { oss in
            let before = try await careRequests(oss)
            let (browser, draft, _) = try await newDraft(oss)
            try await oss.fill(browser, draft: draft)
            let submit = draft.replacingOccurrences(of: "/patient", with: "/submit")
            _ = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<5 { group.addTask { try await browser.post(submit).status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(try await careRequests(oss) == before + 1)
            #expect(try await OutboxModel.query(on: oss.app.db).count() == 1)
        }
    }

    @Test("an emergency sign ends the flow with a 911 page and no care request")
    func emergency() async throws {
        try await Harness.with { oss in
            let before = try await careRequests(oss)
            let (browser, draft, _) = try await newDraft(oss)
            let base = draft.replacingOccurrences(of: "/patient", with: "")
            _ = try await browser.post(base + "/patient", ["given_name": "A", "family_name": "B", "date_of_birth": "1950-01-01",
                                                           "sex": "male", "phone": "3035550100"])
            let reason = try await browser.post(base + "/reason", ["chief_complaint": "Pressure in the chest", "symptom_chest_pain": "on"])
            #expect(reason.location == base + "/emergency")
            let page = try await browser.get(base + "/emergency")
            #expect(page.text.contains("Call 911"))
            #expect(page.text.contains("/care-requests/returned?outcome=emergency"))
            #expect(try await careRequests(oss) == before)
            // The draft is closed: submitting it anyway creates nothing.
            _ = try await browser.post(base + "/submit")
            #expect(try await careRequests(oss) == before)
        }
    }

    @Test("answers that need a nurse skip the time window and create a pending_triage request")
    func nurseTriage() async throws {
        try await Harness.with { oss in
            let (browser, draft, _) = try await newDraft(oss)
            let base = draft.replacingOccurrences(of: "/patient", with: "")
            _ = try await browser.post(base + "/patient", ["given_name": "A", "family_name": "B", "date_of_birth": "1950-01-01",
                                                           "sex": "male", "phone": "3035550100"])
            let reason = try await browser.post(base + "/reason", ["chief_complaint": "Confused since last night", "symptom_confusion": "on"])
            #expect(reason.location == base + "/location")
            let location = try await browser.post(base + "/location", ["line1": "1 Main St", "city": "Denver", "state": "CO", "zip": "80202"])
            #expect(location.location == base + "/details")
            _ = try await browser.post(base + "/details", [:])
            let submit = try await browser.post(base + "/submit")
            #expect(submit.status == .seeOther)
            let status = try await oss.station.db.sql.raw("SELECT status FROM care_requests ORDER BY created_ms DESC LIMIT 1").first()!
            #expect(try status.decode(column: "status", as: String.self) == "pending_triage")
        }
    }

    @Test("bad input stays on the page with each error next to its field and nothing typed lost")
    func validation() async throws {
        try await Harness.with { oss in
            let (browser, draft, _) = try await newDraft(oss)
            let base = draft.replacingOccurrences(of: "/patient", with: "")
            let bad = try await browser.post(base + "/patient", ["given_name": "Nora", "family_name": "", "date_of_birth": "1950-02-30",
                                                                 "sex": "female", "phone": "call me"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("value=\"Nora\""))
            for field in ["family_name", "date_of_birth", "phone"] { #expect(bad.text.contains("id=\"\(field)-error\""), "\(field)") }
            // Still there when the page is opened again later.
            #expect(try await browser.get(base + "/patient").text.contains("value=\"Nora\""))

            let outside = try await browser.post(base + "/location", ["line1": "1 Broadway", "city": "New York", "state": "NY", "zip": "10001"])
            #expect(outside.status == .unprocessableEntity)
            #expect(outside.text.contains("(303) 555-0100") && outside.text.contains("value=\"1 Broadway\""))
        }
    }

    @Test("cancel returns to Express with nothing created; another user's draft is refused")
    func cancelAndOwnership() async throws {
        try await Harness.with { oss in
            let before = try await careRequests(oss)
            let (browser, draft, _) = try await newDraft(oss)
            let base = draft.replacingOccurrences(of: "/patient", with: "")
            let stranger = try await oss.browser(partner: try await oss.expressUser("admin@sunrise.example"), roles: ["admin"])
            #expect(try await stranger.get(draft).status == .notFound)
            #expect(try await stranger.post(base + "/cancel").status == .notFound)
            let patientApp = try await oss.browser(patient: "patient-subject")
            #expect(try await patientApp.get(draft).status == .seeOther)

            let cancel = try await browser.post(base + "/cancel")
            #expect(cancel.location == "http://localhost:8080/care-requests/returned?outcome=cancelled")
            #expect(try await careRequests(oss) == before)
        }
    }

    @Test("a window that fills before submit brings back fresh windows, everything else kept")
    func fullWindow() async throws {
        try await Harness.with { oss in
            let (browser, draft, _) = try await newDraft(oss)
            try await oss.fill(browser, draft: draft)
            // Four other bookings fill the chosen window first.
            let d = try #require(try await DraftModel.query(on: oss.app.db).first())
            let iso = ISO8601DateFormatter()
            let start = try #require(iso.date(from: d.answers["window_start"])), end = try #require(iso.date(from: d.answers["window_end"]))
            let eleanor = try await oss.patient("whitfield")
            for _ in 0..<4 {
                let request = NewCareRequest(
                    partner: PartnerID(rawValue: DemoPartners.sunriseID), patient: try #require(PatientID(wire: eleanor)),
                    serviceLine: try #require(ServiceLineID(wire: "51e00000-0000-4000-8000-000000000001")), source: .partner,
                    chiefComplaint: "x", visitAddress: PostalAddress(line1: "1 Main", city: "Denver", state: "CO", zip: "80202"),
                    requester: .init(name: "x", phone: "3035550100"),
                    screening: .init(questionnaireVersion: "1", answers: [:], outcome: .selfSchedule, reasonCodes: []),
                    insurance: nil, powerOfAttorney: nil, callbackContact: nil, timeWindow: VisitWindow(start: start, end: end),
                    createdBy: nil, synthetic: false)
                let service = try OSSApp.service(oss.app)
                _ = try await service.downstream.station.createCareRequest(request, idempotencyKey: .random())
            }
            let submit = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))
            #expect(submit.status == .conflict)
            #expect(submit.text.contains("just filled up"))
            #expect(submit.text.contains("name=\"window\""))
            let fresh = try #require(try await DraftModel.query(on: oss.app.db).first())
            #expect(fresh.answers["chief_complaint"] == "Cough for three days")
        }
    }

    @Test("a patient self-schedules at / and sees the request under My requests; the next request knows them")
    func directFlow() async throws {
        try await Harness.with { oss in
            let browser = try await oss.browser(patient: "patient-subject-1")
            let start = try await browser.post("/drafts")
            let draft = try #require(start.location)
            #expect(draft.hasPrefix("/drafts/"))
            let base = draft.replacingOccurrences(of: "/patient", with: "")
            _ = try await browser.post(base + "/patient", ["given_name": "Pat", "family_name": "Patient", "date_of_birth": "1960-06-06",
                                                           "sex": "other", "phone": "303-555-0123"])
            _ = try await browser.post(base + "/reason", ["chief_complaint": "Rash on my arm", "symptom_wound": "on"])
            _ = try await browser.post(base + "/location", ["line1": "2 Colfax Ave", "city": "Denver", "state": "CO", "zip": "80203"])
            let windows = try await browser.get(base + "/window").text
            let value = try #require(windows.components(separatedBy: "name=\"window\" value=\"").dropFirst().first.map { String($0.prefix { $0 != "\"" }) })
            _ = try await browser.post(base + "/window", ["window": value])
            let details = try await browser.post(base + "/details", [:])
            #expect(details.status == .unprocessableEntity)
            _ = try await browser.post(base + "/details", ["self_pay": "on", "callback_phone": "303-555-0123"])
            let submit = try await browser.post(base + "/submit")
            let confirmation = try #require(submit.location)
            #expect(confirmation.hasPrefix("/requests/") && confirmation.hasSuffix("?created=1"))
            #expect(try await browser.get(confirmation).text.contains("Your request is in"))
            let mine = try await browser.get("/requests")
            #expect(mine.text.contains("Requested"))
            #expect(try await OutboxModel.query(on: oss.app.db).count() == 0)

            let next = try #require(try await browser.post("/drafts").location)
            #expect(try await browser.get(next).text.contains("Pat Patient"))
            // Someone else's request is not theirs to see.
            let other = try await oss.browser(patient: "someone-else")
            #expect(try await other.get(confirmation).status == .notFound)
        }
    }
}

@Suite("Callback outbox")
struct OutboxTests {
    typealias Harness = OSSHarness

    @Test("with Express down the callback waits; when it is up, Express records it exactly once, even after an OSS restart")
    func downThenUp() async throws {
        try await Harness.with(expressUp: false) { oss in
            let user = try await oss.expressUser("scheduler@sunrise.example")
            let handle = try #require(try await oss.pushHandoff(user: user).1)
            let browser = try await oss.browser(partner: user)
            let draft = try await oss.redeem(browser, handle)
            try await oss.fill(browser, draft: draft)
            _ = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))

            #expect(try await OSSApp.deliverOutbox(oss.app) == 0)
            let pending = try #require(try await OutboxModel.query(on: oss.app.db).first())
            #expect(pending.attempts == 1 && pending.deliveredAt == nil && pending.lastError != nil)

            try await oss.express.server.start(address: .hostname("127.0.0.1", port: oss.expressPort))
            oss.clock.advance(3)
            // A second OSS instance on the same database (a restart) delivers what the first left.
            let restarted = try await oss.restarted()
            #expect(try await OSSApp.deliverOutbox(restarted) == 1)
            try await restarted.asyncShutdown()
            let delivered = try #require(try await OutboxModel.query(on: oss.app.db).first())
            #expect(delivered.deliveredAt != nil)
            // Replaying is harmless: Express is idempotent by webhook-id and care request id.
            _ = try await OSSApp.replayOutbox(oss.app, id: delivered.id!)
            let links = try await oss.express.db.sql.raw("SELECT COUNT(*) AS n FROM care_request_users").first()!.decode(column: "n", as: Int.self)
            #expect(links == 1)
        }
    }
}
