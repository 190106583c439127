import Fluent
import Foundation
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import OSS

@Suite("Onboarding flows")
struct FlowTests {
    typealias Harness = OSSHarness

    @Test("a partner user goes from the handoff to a created care request and back to Express with its id")
    func partnerFlow() async throws {
        try await Harness.with { oss in
            let world = oss.stationSchedules()
            let (browser, draft) = try await oss.newDraft()
            try await oss.fill(browser, draft: draft)
            let review = try await browser.get(draft.replacingOccurrences(of: "/patient", with: "/review"))
            #expect(review.text.contains("Nora Newcomer") && review.text.contains("Submit request"))
            let submit = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))
            #expect(submit.status == .seeOther, "\(submit.text.prefix(500))")
            let location = try #require(submit.location)
            #expect(location.hasPrefix("http://localhost:8080/care-requests/returned?"))
            let made = try #require(world.made.first)
            #expect(world.made.count == 1)
            #expect(queryParameters(location) == ["outcome": "created", "care_request_id": made.id.wire])
            #expect(made.request.source == .partner)
            #expect(made.request.partner == Harness.sunrise)
            #expect(made.request.createdBy == Harness.scheduler.id)
            #expect(made.serviceLine == StationWorld.acuteCare.id)
            #expect(made.request.timeWindow?.start == StationWorld.windows[0].start)
            #expect(made.request.callbackContact == .init(name: "Front desk", phone: "303-555-0100"))
            #expect(try await oss.app.outboxLog.messages(destination: "express", limit: 10).count == 1)

            // Submitting again, or reloading, makes nothing new.
            let again = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))
            #expect(again.location == location)
            #expect(oss.station.createRequests.count == 1)
        }
    }

    @Test("concurrent submits of one draft make one care request")
    func concurrentSubmit() async throws {
        try await Harness.with { oss in
            oss.stationSchedules()
            let (browser, draft) = try await oss.newDraft()
            try await oss.fill(browser, draft: draft)
            let submit = draft.replacingOccurrences(of: "/patient", with: "/submit")
            _ = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<5 { group.addTask { try await browser.post(submit).status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            // One submit claims the draft: Station is asked once, not five times.
            #expect(oss.station.createRequests.count == 1)
            #expect(try await oss.app.outboxLog.messages(destination: "express", limit: 10).count == 1)
        }
    }

    @Test("an emergency sign ends the flow with a 911 page and no care request")
    func emergency() async throws {
        try await Harness.with { oss in
            let (browser, draft) = try await oss.newDraft()
            let base = draft.replacingOccurrences(of: "/patient", with: "")
            _ = try await browser.post(
                base + "/patient",
                [
                    "given_name": "A", "family_name": "B", "date_of_birth": "1950-01-01",
                    "sex": "male", "phone": "3035550100",
                ])
            let reason = try await browser.post(
                base + "/reason", ["chief_complaint": "Pressure in the chest", "symptom_chest_pain": "on"])
            #expect(reason.location == base + "/emergency")
            let page = try await browser.get(base + "/emergency")
            #expect(page.text.contains("Call 911"))
            #expect(page.text.contains("/care-requests/returned?outcome=emergency"))
            // The draft is closed: submitting it anyway asks Station for nothing (an unstubbed call would fail the test).
            _ = try await browser.post(base + "/submit")
            #expect(oss.station.createRequests.isEmpty)
        }
    }

    @Test("answers that need a nurse skip the time window and send a nurse_triage request without one")
    func nurseTriage() async throws {
        try await Harness.with { oss in
            let world = oss.stationSchedules()
            let (browser, draft) = try await oss.newDraft()
            let base = draft.replacingOccurrences(of: "/patient", with: "")
            _ = try await browser.post(
                base + "/patient",
                [
                    "given_name": "A", "family_name": "B", "date_of_birth": "1950-01-01",
                    "sex": "male", "phone": "3035550100",
                ])
            let reason = try await browser.post(
                base + "/reason", ["chief_complaint": "Confused since last night", "symptom_confusion": "on"])
            #expect(reason.location == base + "/location")
            let location = try await browser.post(
                base + "/location", ["line1": "1 Main St", "city": "Denver", "state": "CO", "zip": "80202"])
            #expect(location.location == base + "/details")
            _ = try await browser.post(base + "/details", [:])
            let submit = try await browser.post(base + "/submit")
            #expect(submit.status == .seeOther)
            let made = try #require(world.made.first?.request)
            #expect(made.screening.outcome == .nurseTriage)
            #expect(made.screening.reasonCodes.isEmpty == false)
            #expect(made.timeWindow == nil)
        }
    }

    @Test("bad input stays on the page with each error next to its field and nothing typed lost")
    func validation() async throws {
        try await Harness.with { oss in
            oss.stationSchedules()
            let (browser, draft) = try await oss.newDraft()
            let base = draft.replacingOccurrences(of: "/patient", with: "")
            let bad = try await browser.post(
                base + "/patient",
                [
                    "given_name": "Nora", "family_name": "", "date_of_birth": "1950-02-30",
                    "sex": "female", "phone": "call me",
                ])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("value=\"Nora\""))
            for field in ["family_name", "date_of_birth", "phone"] {
                #expect(bad.text.contains("id=\"\(field)-error\""), "\(field)")
            }
            // Still there when the page is opened again later.
            #expect(try await browser.get(base + "/patient").text.contains("value=\"Nora\""))

            let outside = try await browser.post(
                base + "/location", ["line1": "1 Broadway", "city": "New York", "state": "NY", "zip": "10001"])
            #expect(outside.status == .unprocessableEntity)
            #expect(outside.text.contains("(303) 555-0100") && outside.text.contains("value=\"1 Broadway\""))
        }
    }

    @Test("Station not answering the address check keeps the answers and says to try again")
    func addressCheckUnavailable() async throws {
        try await Harness.with { oss in
            oss.station.stub {
                $0.marketServingZip = { _ in throw Unavailable(service: "Station", description: "down") }
            }
            let (browser, draft) = try await oss.newDraft()
            let base = draft.replacingOccurrences(of: "/patient", with: "")
            let page = try await browser.post(
                base + "/location", ["line1": "1600 Larimer St", "city": "Denver", "state": "CO", "zip": "80202"])
            #expect(page.status == .serviceUnavailable)
            #expect(
                page.text.contains("could not check the address") && page.text.contains("value=\"1600 Larimer St\""))
        }
    }

    @Test("cancel returns to Express with nothing created; another user's draft is refused")
    func cancelAndOwnership() async throws {
        try await Harness.with { oss in
            let (browser, draft) = try await oss.newDraft()
            let base = draft.replacingOccurrences(of: "/patient", with: "")
            let stranger = try await oss.browser(partner: Harness.admin)
            #expect(try await stranger.get(draft).status == .notFound)
            #expect(try await stranger.post(base + "/cancel").status == .notFound)
            let patientApp = try await oss.browser(patient: "patient-subject")
            #expect(try await patientApp.get(draft).status == .seeOther)

            let cancel = try await browser.post(base + "/cancel")
            #expect(cancel.location == "http://localhost:8080/care-requests/returned?outcome=cancelled")
            #expect(oss.station.createRequests.isEmpty)
        }
    }

    @Test("a window that fills before submit brings back fresh windows, everything else kept")
    func fullWindow() async throws {
        try await Harness.with { oss in
            oss.stationSchedules()
            let (browser, draft) = try await oss.newDraft()
            try await oss.fill(browser, draft: draft)
            oss.station.stub {
                $0.createCareRequest = { _, _ in
                    throw StationRefusal(
                        status: 409, detail: "That time window is full.", fields: ["time_window"],
                        nextWindows: Array(StationWorld.windows.dropFirst()))
                }
            }
            let submit = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))
            #expect(submit.status == .conflict)
            #expect(submit.text.contains("just filled up"))
            #expect(submit.text.contains("name=\"window\""))
            // Everything else is kept, and the draft is open to submit again.
            let review = try await browser.get(draft.replacingOccurrences(of: "/patient", with: "/review"))
            #expect(review.text.contains("Cough for three days") && review.text.contains("Submit request"))
        }
    }

    @Test("a patient self-schedules at / and sees the request under My requests; the next request knows them")
    func directFlow() async throws {
        try await Harness.with { oss in
            let world = oss.stationSchedules()
            let browser = try await oss.browser(patient: "patient-subject-1")
            // The first visit asks whom the account schedules for; then it starts for that one person.
            #expect(try await browser.get("/").location == "/people/new")
            #expect(try await browser.post("/drafts").location == "/people/new")
            #expect(try await browser.post("/people/new", ["myself": "on"]).location == "/")
            let start = try await browser.post("/drafts")
            let draft = try #require(start.location)
            #expect(draft.hasPrefix("/drafts/"))
            let base = draft.replacingOccurrences(of: "/patient", with: "")
            _ = try await browser.post(
                base + "/patient",
                [
                    "given_name": "Pat", "family_name": "Patient", "date_of_birth": "1960-06-06",
                    "sex": "other", "phone": "303-555-0123",
                ])
            _ = try await browser.post(base + "/reason", ["chief_complaint": "Rash on my arm", "symptom_wound": "on"])
            _ = try await browser.post(
                base + "/location", ["line1": "2 Colfax Ave", "city": "Denver", "state": "CO", "zip": "80203"])
            let value = try #require(oss.windowValues(try await browser.get(base + "/window").text).first)
            _ = try await browser.post(base + "/window", ["window": value])
            let details = try await browser.post(base + "/details", [:])
            #expect(details.status == .unprocessableEntity)
            _ = try await browser.post(base + "/details", ["self_pay": "on", "callback_phone": "303-555-0123"])
            let submit = try await browser.post(base + "/submit")
            let confirmation = try #require(submit.location)
            #expect(confirmation.hasPrefix("/requests/") && confirmation.hasSuffix("?created=1"))
            let made = try #require(world.made.first?.request)
            #expect(made.source == .direct && made.partner == nil && made.createdBy == nil)
            #expect(made.insurance == .selfPay)
            #expect(try await browser.get(confirmation).text.contains("Your request is in"))
            let mine = try await browser.get("/requests")
            #expect(mine.text.contains("Requested"))
            #expect(try await oss.app.outboxLog.messages(destination: "express", limit: 10).count == 0)

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

    @Test(
        "with Express refusing the callback waits; when it accepts, it gets it once with the same webhook id, even after an OSS restart"
    )
    func downThenUp() async throws {
        try await Harness.with { oss in
            let world = oss.stationSchedules()
            let (browser, draft) = try await oss.newDraft()
            try await oss.fill(browser, draft: draft)
            _ = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))

            oss.express.stubDelivery { _, _ in
                throw Unavailable(service: "Express", description: "Express could not be reached")
            }
            #expect(try await OSSApp.deliverOutbox(oss.app) == 0)
            let pending = try #require(try await oss.app.outboxLog.messages(destination: "express", limit: 10).first)
            #expect(pending.attempts == 1 && pending.deliveredAt == nil && pending.lastError != nil)

            oss.express.stubDelivery { _, _ in }
            oss.clock.advance(3)
            // A second OSS instance on the same database (a restart) delivers what the first left.
            try await oss.withRestarted { (restarted: Application) async throws in
                #expect(try await OSSApp.deliverOutbox(restarted) == 1)
            }
            let delivered = try #require(try await oss.app.outboxLog.messages(destination: "express", limit: 10).first)
            #expect(delivered.deliveredAt != nil)
            let made = try #require(world.made.first)
            #expect(
                oss.express.callbacks.map(\.callback) == [
                    CareRequestCallback(
                        careRequest: made.id, partner: Harness.sunrise,
                        user: Harness.scheduler.id)
                ])
            // Replaying sends the same delivery again, under the same webhook id (Express is idempotent by it).
            let replayed = try await oss.app.replayOutbox(delivered.id)
            #expect(oss.express.callbacks.count == 2)
            // `selfsched outbox replay` and `status` print the delivery's id as lowercase UUID text.
            let printedID = delivered.id.uuidString.lowercased()
            #expect(replayed == "delivered \(printedID)")
            let status = try await oss.app.outboxLog.statusLines()
            #expect(status.first == "pending 0, delivered 1, failed 0")
            #expect(status.dropFirst().first?.hasPrefix("\(printedID)  delivered  attempts ") == true)
            #expect(Set(oss.express.callbacks.map(\.webhookID)) == [delivered.messageID])
        }
    }
}
