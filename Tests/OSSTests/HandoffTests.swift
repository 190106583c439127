import Fluent
import Foundation
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import OSS

@Suite("Handoff")
struct HandoffTests {
    typealias Harness = OSSHarness

    @Test("a push returns a random one-time handle, stored only as its hash; bad return URLs and tokens are refused")
    func push() async throws {
        try await Harness.with { oss in
            let (response, handle) = try await oss.pushHandoff()
            #expect(response.status == .created)
            let h = try #require(handle)
            #expect(h.count >= 43)
            #expect((response.object["start_url"] as? String)?.hasSuffix("/partner/start?handoff=\(h)") == true)
            #expect(try await HandoffModel.find(h, on: oss.app.db) == nil)
            #expect(try await HandoffModel.query(on: oss.app.db).count() == 1)
            let (bad, _) = try await oss.pushHandoff(returnURL: "https://evil.example/steal")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("return_url"))
            var headers = HTTPHeaders()
            headers.contentType = .json
            #expect(
                try await oss.app.testing().sendRequest(
                    .POST, "/v1/handoffs", headers: headers, body: ByteBuffer(string: "{}")
                ).status == .unauthorized)
        }
    }

    @Test("opening the link spends nothing; the right user's POST redeems it, again and again to the same draft")
    func redeem() async throws {
        try await Harness.with { oss in
            let handle = try #require(try await oss.pushHandoff().1)
            let browser = try await oss.browser(partner: Harness.scheduler)
            for _ in 0..<2 {
                let page = try await browser.get("/partner/start?handoff=\(handle)")
                #expect(page.status == .ok)
                #expect(page.text.contains("Continue"))
            }
            #expect(try await HandoffModel.query(on: oss.app.db).first()?.redeemedAt == nil)
            let first = try await oss.redeem(browser, handle)
            let second = try await oss.redeem(browser, handle)
            #expect(first == second)
            #expect(try await DraftModel.query(on: oss.app.db).count() == 1)
        }
    }

    @Test("another signed-in user, an expired handle and an unknown one each get a clear page with a way back")
    func refusals() async throws {
        try await Harness.with { oss in
            let handle = try #require(try await oss.pushHandoff().1)
            let other = try await oss.browser(partner: Harness.admin)
            let refused = try await other.post("/partner/start", ["handoff": handle])
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("made for someone else") && refused.text.contains("Back to Express"))
            #expect(try await OSSAuditModel.query(on: oss.app.db).filter(\.$outcome == "wrong_user").count() == 1)

            let browser = try await oss.browser(partner: Harness.scheduler)
            #expect(try await browser.post("/partner/start", ["handoff": "nope"]).text.contains("not valid"))
            oss.clock.advance(601)
            let expired = try await browser.post("/partner/start", ["handoff": handle])
            #expect(expired.text.contains("expired"))
            #expect(try await DraftModel.query(on: oss.app.db).count() == 0)
        }
    }

    @Test("concurrent redemptions make exactly one draft")
    func concurrent() async throws {
        try await Harness.with { oss in
            let handle = try #require(try await oss.pushHandoff().1)
            let browser = try await oss.browser(partner: Harness.scheduler)
            let locations = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<6 {
                    group.addTask { try await browser.post("/partner/start", ["handoff": handle]).location }
                }
                return try await group.reduce(into: Set<String>()) { if let l = $1 { $0.insert(l) } }
            }
            #expect(locations.count == 1)
            #expect(try await DraftModel.query(on: oss.app.db).count() == 1)
        }
    }

    static let eleanor = PatientRecord(
        id: PatientID(wire: "9a710000-0000-4000-8000-000000000001")!, partner: OSSHarness.sunrise, givenName: "Eleanor",
        familyName: "Whitfield", dateOfBirth: "1941-03-14",
        address: PostalAddress(line1: "1 Sunrise Way", city: "Denver", state: "CO", zip: "80202"))

    @Test("a named patient is prefilled only after Station finds them for the partner and Policy allows it")
    func prefill() async throws {
        try await Harness.with { oss in
            let eleanor = Self.eleanor
            oss.station.stub {
                $0.partnerPatient = { id, partner in id == eleanor.id && partner == eleanor.partner ? eleanor : nil }
            }
            oss.policy.stubMaySchedule { question in
                question.roles.contains(where: \.canSchedule)
                    ? PolicyDecision(allowed: true, id: "dec_allowed", reason: "scheduler")
                    : PolicyDecision(allowed: false, id: "dec_denied", reason: "viewers cannot schedule")
            }
            let browser = try await oss.browser(partner: Harness.scheduler)
            let draft = try await oss.redeem(browser, try #require(try await oss.pushHandoff(patient: eleanor.id).1))
            #expect(try await browser.get(draft).text.contains("Eleanor Whitfield"))
            #expect(
                oss.policy.questions.first
                    == SchedulingQuestion(
                        user: Harness.scheduler.id, partner: Harness.sunrise, roles: [.scheduler],
                        patient: eleanor.id, patientPartner: Harness.sunrise))

            // A patient Station does not find for this partner looks like no patient, and the attempt is audited.
            let foreign = try #require(try await oss.pushHandoff(patient: .random()).1)
            let refused = try await browser.post("/partner/start", ["handoff": foreign])
            #expect(refused.status == .notFound)
            #expect(try await OSSAuditModel.query(on: oss.app.db).filter(\.$outcome == "not_found").count() == 1)

            // A viewer is denied by Policy: a clear page with the decision id.
            let viewerHandle = try #require(try await oss.pushHandoff(user: Harness.viewer, patient: eleanor.id).1)
            let denied = try await oss.browser(partner: Harness.viewer).post(
                "/partner/start", ["handoff": viewerHandle])
            #expect(denied.status == .forbidden)
            #expect(denied.text.contains("dec_denied"))
            #expect(!denied.text.contains("Whitfield"))
            #expect(try await OSSAuditModel.query(on: oss.app.db).filter(\.$outcome == "denied").count() == 1)
        }
    }

    @Test("Station or Policy not answering the prefill gives a page saying which, with a way back and no draft")
    func prefillUnavailable() async throws {
        try await Harness.with { oss in
            oss.station.stub {
                $0.partnerPatient = { _, _ in throw Unavailable(service: "Station", description: "down") }
            }
            let browser = try await oss.browser(partner: Harness.scheduler)
            let page = try await browser.post(
                "/partner/start", ["handoff": try #require(try await oss.pushHandoff(patient: Self.eleanor.id).1)])
            #expect(page.status == .serviceUnavailable)
            #expect(page.text.contains("Station did not answer") && page.text.contains("reason=unavailable"))
            #expect(try await DraftModel.query(on: oss.app.db).count() == 0)
        }
    }

    @Test("after sign-in the browser goes only to a path of the same app, whatever the return parameter hides")
    func noOpenRedirect() async throws {
        try await Harness.with { oss in
            let service = try OSSApp.service(oss.app)
            let rp = RelyingParty(
                .init(issuer: "http://127.0.0.1:9/x", clientID: "x", clientSecret: "x", redirectURI: "http://x"))
            let direct = FlowAuthController(
                app: FlowApp(audience: .direct, prefix: "", relyingParty: rp), service: service)
            let partner = FlowAuthController(
                app: FlowApp(audience: .partner, prefix: "/partner", relyingParty: rp), service: service)
            for hostile in [
                "/\t/evil.example", "/\\evil.example", "//evil.example", "/\r\n/evil.example", "https://evil.example",
            ] {
                #expect(direct.safeReturn(hostile) == "/", "\(hostile.debugDescription)")
                #expect(partner.safeReturn(hostile) == "/partner/", "\(hostile.debugDescription)")
            }
            #expect(partner.safeReturn("/partner/\t/evil.example") == "/partner/")
            #expect(partner.safeReturn("/requests") == "/partner/")
            #expect(partner.safeReturn("/partner/drafts/x/reason") == "/partner/drafts/x/reason")
            #expect(direct.safeReturn("/requests") == "/requests")
        }
    }
}
