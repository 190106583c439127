import Fluent
import Foundation
import OSSDomain
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import OSS

// OSS's flows against real Station, Policy and Express: what Station stores, what Policy decides and what Express
// records, end to end. OSSTests prove OSS's own part of each on fakes.

@Suite("OSS onboarding flows across services")
struct OSSFlowAcrossServicesTests {
    typealias Harness = OSSServicesHarness

    func newDraft(_ oss: Harness, patient: String? = nil) async throws -> (TestBrowser, String, String) {
        let user = try await oss.expressUser("scheduler@sunrise.example")
        let handle = try #require(try await oss.pushHandoff(user: user, patient: patient).1)
        let browser = try await oss.browser(partner: user)
        return (browser, try await oss.redeem(browser, handle), user)
    }

    func careRequests(_ oss: Harness) async throws -> Int {
        try await oss.station.db.sql.raw("SELECT COUNT(*) AS n FROM care_requests").first()!.decode(
            column: "n", as: Int.self)
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
            let created = try await oss.station.db.sql.raw(
                "SELECT source, created_by_user_id, status FROM care_requests ORDER BY created_ms DESC LIMIT 1"
            ).first()!
            #expect(try created.decode(column: "source", as: String.self) == "oss_partner")
            #expect(try created.decode(column: "created_by_user_id", as: String.self) == user)
            #expect(try created.decode(column: "status", as: String.self) == "requested")
            #expect(try await oss.app.outboxLog.messages(destination: "express", limit: 10).count == 1)

            // Submitting again, or reloading, makes nothing new.
            let again = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))
            #expect(again.location == location)
            #expect(try await careRequests(oss) == before + 1)
        }
    }

    @Test("answers that need a nurse skip the time window and create a pending_triage request")
    func nurseTriage() async throws {
        try await Harness.with { oss in
            let (browser, draft, _) = try await newDraft(oss)
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
            let status = try await oss.station.db.sql.raw(
                "SELECT status FROM care_requests ORDER BY created_ms DESC LIMIT 1"
            ).first()!
            #expect(try status.decode(column: "status", as: String.self) == "pending_triage")
        }
    }

    @Test("a window that fills before submit brings back fresh windows, everything else kept")
    func fullWindow() async throws {
        try await Harness.with { oss in
            let (browser, draft, _) = try await newDraft(oss)
            try await oss.fill(browser, draft: draft)
            // Other bookings fill the chosen window first (the demo data may hold some of its places already).
            let d = try #require(try await DraftModel.query(on: oss.app.db).first())
            let chosen = try #require(try d.draft().answers.window)
            let start = chosen.start
            let end = chosen.end
            let eleanor = try await oss.patient("whitfield")
            for _ in 0..<4 {
                let request = CareRequestToCreate(
                    partner: PartnerID(rawValue: DemoPartners.sunriseID),
                    patient: try #require(PatientID(wire: eleanor)), source: .partner,
                    chiefComplaint: "x",
                    visitAddress: .init(line1: "1 Main", line2: nil, city: "Denver", state: "CO", zip: "80202"),
                    requester: .init(name: "x", phone: "3035550100"), questionnaireVersion: "1",
                    screening: try ScreeningRules.screen([]),
                    insurance: nil, powerOfAttorney: nil, callbackContact: nil,
                    timeWindow: DateInterval(start: start, end: end),
                    createdBy: nil, synthetic: false, idempotencyKey: .random())
                let service = try OSSApp.service(oss.app)
                do {
                    _ = try await service.downstream.station.createCareRequest(
                        request, serviceLine: try #require(ServiceLineID(wire: "51e00000-0000-4000-8000-000000000001")))
                } catch let refusal as StationRefusal where refusal.status == 409 {
                    break
                }
            }
            let submit = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))
            #expect(submit.status == .conflict)
            #expect(submit.text.contains("just filled up"))
            #expect(submit.text.contains("name=\"window\""))
            let fresh = try #require(try await DraftModel.query(on: oss.app.db).first())
            #expect(try fresh.draft().answers.reason?.chiefComplaint == "Cough for three days")
        }
    }

    @Test("a patient self-schedules at / and sees the request under My requests; the next request knows them")
    func directFlow() async throws {
        try await Harness.with { oss in
            let browser = try await oss.browser(patient: "patient-subject-1")
            // The first visit asks whom the account schedules for.
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
            let windows = try await browser.get(base + "/window").text
            let value = try #require(
                windows.components(separatedBy: "name=\"window\" value=\"").dropFirst().first.map {
                    String($0.prefix { $0 != "\"" })
                })
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
            #expect(try await oss.app.outboxLog.messages(destination: "express", limit: 10).count == 0)

            let next = try #require(try await browser.post("/drafts").location)
            #expect(try await browser.get(next).text.contains("Pat Patient"))
            // Someone else's request is not theirs to see.
            let other = try await oss.browser(patient: "someone-else")
            #expect(try await other.get(confirmation).status == .notFound)
        }
    }
}

@Suite("OSS callback outbox with a real Express")
struct OSSOutboxAcrossServicesTests {
    typealias Harness = OSSServicesHarness

    @Test(
        "with Express down the callback waits; when it is up, Express records it exactly once, even after an OSS restart"
    )
    func downThenUp() async throws {
        try await Harness.with(expressUp: false) { oss in
            let user = try await oss.expressUser("scheduler@sunrise.example")
            let handle = try #require(try await oss.pushHandoff(user: user).1)
            let browser = try await oss.browser(partner: user)
            let draft = try await oss.redeem(browser, handle)
            try await oss.fill(browser, draft: draft)
            // The request is created and the callback queued before the answer (a 503 here means Station was slow).
            let submitted = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))
            #expect(submitted.status == .seeOther, "\(submitted.status) \(submitted.text.prefix(400))")

            #expect(try await OSSApp.deliverOutbox(oss.app) == 0)
            let pending = try #require(try await oss.app.outboxLog.messages(destination: "express", limit: 10).first)
            #expect(pending.attempts == 1 && pending.deliveredAt == nil && pending.lastError != nil)

            try await oss.express.server.start(address: .hostname("127.0.0.1", port: oss.expressPort))
            oss.clock.advance(3)
            // A second OSS instance on the same database (a restart) delivers what the first left.
            let restarted = try await oss.restarted()
            #expect(try await OSSApp.deliverOutbox(restarted) == 1)
            try await restarted.asyncShutdown()
            let delivered = try #require(try await oss.app.outboxLog.messages(destination: "express", limit: 10).first)
            #expect(delivered.deliveredAt != nil)
            // Replaying is harmless: Express is idempotent by webhook-id and care request id.
            _ = try await oss.app.replayOutbox(delivered.id)
            let links = try await oss.express.db.sql.raw("SELECT COUNT(*) AS n FROM care_request_users").first()!
                .decode(column: "n", as: Int.self)
            #expect(links == 1)
        }
    }
}

@Suite("OSS handoff prefill with real Station and Policy")
struct OSSHandoffAcrossServicesTests {
    typealias Harness = OSSServicesHarness

    @Test("a named patient is prefilled only after Station finds them for the partner and Policy allows it")
    func prefill() async throws {
        try await Harness.with { oss in
            let user = try await oss.expressUser("scheduler@sunrise.example")
            let eleanor = try await oss.patient("whitfield")
            let handle = try #require(try await oss.pushHandoff(user: user, patient: eleanor).1)
            let browser = try await oss.browser(partner: user)
            let draft = try await oss.redeem(browser, handle)
            let page = try await browser.get(draft)
            #expect(page.text.contains("Eleanor Whitfield"))

            // Another partner's patient looks like no patient, and the attempt is audited.
            let margaret = try await oss.patient("okafor", partner: DemoPartners.mercyID)
            let foreign = try #require(try await oss.pushHandoff(user: user, patient: margaret).1)
            let refused = try await browser.post("/partner/start", ["handoff": foreign])
            #expect(refused.status == .notFound)
            #expect(!refused.text.contains("Okafor"))
            #expect(try await OSSAuditModel.query(on: oss.app.db).filter(\.$outcome == "not_found").count() == 1)

            // A viewer is denied by Policy: a clear page with the decision id.
            let viewer = try await oss.expressUser("viewer@sunrise.example")
            let viewerHandle = try #require(try await oss.pushHandoff(user: viewer, patient: eleanor).1)
            let denied = try await oss.browser(partner: viewer, roles: ["viewer"]).post(
                "/partner/start", ["handoff": viewerHandle])
            #expect(denied.status == .forbidden)
            #expect(denied.text.contains("dec_"))
            #expect(try await OSSAuditModel.query(on: oss.app.db).filter(\.$outcome == "denied").count() == 1)
        }
    }
}

/// When Station refuses an answer, the person sees which one and why, on its step, with the draft kept; and OSS
/// never invents a callback number.
@Suite("Station's refusals in OSS's flow")
struct OSSStationRefusalAcrossServicesTests {
    typealias Harness = OSSServicesHarness

    @Test("a birth date Station refuses brings back the patient step with the field marked, nothing lost")
    func patientRefused() async throws {
        try await Harness.with { oss in
            let flows = OSSFlowAcrossServicesTests()
            let before = try await flows.careRequests(oss)
            let (browser, draft, _) = try await flows.newDraft(oss)
            try await oss.fill(browser, draft: draft)
            // More than 130 years ago: OSS's own check lets it through, Station refuses it.
            _ = try await browser.post(
                draft,
                [
                    "given_name": "Nora", "family_name": "Newcomer", "date_of_birth": "1850-02-03",
                    "sex": "female", "phone": "303-555-0177",
                ])
            let submit = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))
            #expect(submit.status == .unprocessableEntity, "\(submit.text.prefix(300))")
            #expect(submit.text.contains("130 years ago"))
            #expect(!submit.text.contains("could not reach"))
            #expect(submit.text.contains("Nora") && submit.text.contains("Newcomer"))
            #expect(try await flows.careRequests(oss) == before)
            #expect(try await DraftModel.query(on: oss.app.db).filter(\.$status == "open").count() == 1)
        }
    }

    @Test("with no phone given, the request carries no callback number, not our support line")
    func noInventedPhone() async throws {
        try await Harness.with { oss in
            let flows = OSSFlowAcrossServicesTests()
            let (browser, draft, _) = try await flows.newDraft(oss, patient: try await oss.patient("whitfield"))
            let base = draft.replacingOccurrences(of: "/patient", with: "")
            _ = try await browser.post(base + "/reason", ["chief_complaint": "Cough", "symptom_cough": "on"])
            _ = try await browser.post(
                base + "/location", ["line1": "1600 Larimer St", "city": "Denver", "state": "CO", "zip": "80202"])
            let windowPage = try await browser.get(base + "/window").text
            let value = try #require(
                windowPage.components(separatedBy: "name=\"window\" value=\"").dropFirst().first.map {
                    String($0.prefix { $0 != "\"" })
                })
            _ = try await browser.post(base + "/window", ["window": value.replacingOccurrences(of: "&#43;", with: "+")])
            _ = try await browser.post(base + "/details", [:])
            let submit = try await browser.post(base + "/submit")
            #expect(submit.status == .seeOther, "\(submit.text.prefix(300))")
            let row = try #require(
                try await oss.station.db.sql.raw("SELECT requester FROM care_requests ORDER BY created_ms DESC LIMIT 1")
                    .first())
            let requester = try row.decode(column: "requester", as: [String: String?].self)
            #expect((requester["phone"] ?? nil) == nil, "\(requester)")
        }
    }
}

@Suite("Synthetic monitoring's handoffs through OSS to Station")
struct OSSSyntheticAcrossServicesTests {
    typealias Harness = OSSServicesHarness

    func submitted(_ oss: Harness, synthetic: Bool?) async throws -> (
        synthetic: Bool, status: String, draft: DraftModel
    ) {
        let user = try await oss.expressUser("scheduler@sunrise.example")
        let handle = try #require(try await oss.pushHandoff(user: user, synthetic: synthetic).1)
        let browser = try await oss.browser(partner: user)
        let draft = try await oss.redeem(browser, handle)
        try await oss.fill(browser, draft: draft)
        let submit = try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit"))
        let location = try #require(submit.location)
        #expect(location.contains("outcome=created"), "\(submit.text.prefix(300))")
        let id = try #require(location.components(separatedBy: "care_request_id=").last?.prefix(36)).lowercased()
        let uuid = try #require(UUID(uuidString: id))
        let row = try #require(
            try await oss.station.db.sql
                .raw("SELECT synthetic, status FROM care_requests WHERE id = \(bind: uuid)").first())
        let draftID = try #require(UUID(uuidString: String(draft.split(separator: "/").dropLast().last ?? "")))
        return (
            try row.decode(column: "synthetic", as: Bool.self), try row.decode(column: "status", as: String.self),
            try #require(try await DraftModel.find(draftID, on: oss.app.db))
        )
    }

    @Test(
        "a handoff pushed as synthetic makes a synthetic care request in Station (archived at once); a plain one does not"
    )
    func carried() async throws {
        try await Harness.with { oss in
            let synthetic = try await submitted(oss, synthetic: true)
            #expect(synthetic.draft.synthetic)
            #expect(synthetic.synthetic)
            #expect(synthetic.status == "archived")

            let plain = try await submitted(oss, synthetic: nil)
            #expect(!plain.draft.synthetic)
            #expect(!plain.synthetic)
            #expect(plain.status == "requested")
        }
    }
}
