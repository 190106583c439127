import ConsoleDomain
import Fluent
import Foundation
import SQLKit
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import Console

/// The nurse's pages: the queue of their markets, the audited detail, "I'm calling", and the outcome forms that
/// reach Station with the nurse's own token and keep what was typed when refused.
@Suite("Console triage pages")
struct TriagePageTests {
    typealias F = TriageFixtures

    static let noor = StaffMember(
        id: "staff-noor", email: "noor@example.com", name: "Noor Nurse", roles: [.nurse], markets: .all)

    @Test("the queue shows only the nurse's markets, oldest first, audited with Policy's decision id")
    func queueOfTheNursesMarkets() async throws {
        let station = StubTransport("Station")
        let ada = F.Request(name: "Ada Alpha", createdAt: Date().addingTimeInterval(-125 * 60 - 20))
        let bea = F.Request(name: "Bea Beta", market: F.marketB, createdAt: Date().addingTimeInterval(-100 * 60))
        let cy = F.Request(name: "Cy Gamma", partner: nil, createdAt: Date().addingTimeInterval(-5 * 60 - 20))
        station.stub("listTriageQueue", json: F.queue([ada, bea, cy]))
        try await ConsoleHarness.with(station: .stub(station)) { console in
            var nurse = StaffMember.nurse
            nurse.markets = .only([F.marketA])
            let page = try await console.signIn(as: nurse).get("/triage")
            #expect(page.status == .ok)
            let text = page.text
            #expect(!text.contains("Bea Beta"))
            let first = try #require(text.range(of: "Ada Alpha"))
            let second = try #require(text.range(of: "Cy Gamma"))
            #expect(first.lowerBound < second.lowerBound)
            #expect(text.contains("2 h 5 min") && text.contains("5 min"))
            #expect(text.contains("Sunrise Homes") && text.contains("Patient (self)") && text.contains("breathing"))
            #expect(text.contains("href=\"/triage/\(ada.id.wire)\""))
            let event = try #require(try await console.audit("triage.queue_viewed").first)
            #expect(event.careRequestIDs == "\(ada.id.wire) \(cy.id.wire)")
            #expect(event.patientIDs == "\(ada.patient.wire) \(cy.patient.wire)")
            #expect(event.decisionID == "dec_test_1")
        }
    }

    @Test("the detail shows the screening record, who asked and the number as a tel: link, audited first")
    func detailAudited() async throws {
        let station = StubTransport("Station")
        let ada = F.Request(name: "Ada Alpha")
        F.stubDetail(station, ada)
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let page = try await console.signIn(as: .nurse).get("/triage/\(ada.id.wire)")
            #expect(page.status == .ok)
            #expect(page.text.contains("href=\"tel:+13035550199\""))
            #expect(page.text.contains("Version 2026-10") && page.text.contains("Breathing trouble"))
            #expect(page.text.contains("Sunrise Homes") && page.text.contains("Dana Daughter"))
            #expect(page.text.contains("Tue, Dec 1, 8:00 AM–10:00 AM MST (2 places left)"))
            #expect(!page.text.contains("0 places left"))
            let event = try #require(try await console.audit("triage.viewed").first)
            #expect(event.careRequestIDs == ada.id.wire && event.patientIDs == ada.patient.wire)
            #expect(event.decisionID != nil)
            #expect(console.policy.asked.last?.resource == .careRequest(ada.id, partner: F.partner))
        }
    }

    @Test("without its audit event the detail is not served")
    func noAuditNoPage() async throws {
        let station = StubTransport("Station")
        let ada = F.Request(name: "Ada Alpha")
        F.stubDetail(station, ada)
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let browser = try await console.signIn(as: .nurse)
            try await console.app.db.sql.raw("DROP TABLE audit_events").run()
            let page = try await browser.get("/triage/\(ada.id.wire)")
            #expect(page.status == .internalServerError)
            #expect(!page.text.contains("Ada Alpha") && !page.text.contains("555-0199"))
        }
    }

    @Test("a request outside the nurse's markets is not found")
    func otherMarketNotFound() async throws {
        let station = StubTransport("Station")
        let bea = F.Request(name: "Bea Beta", market: F.marketB)
        F.stubDetail(station, bea)
        try await ConsoleHarness.with(station: .stub(station)) { console in
            var nurse = StaffMember.nurse
            nurse.markets = .only([F.marketA])
            let page = try await console.signIn(as: nurse).get("/triage/\(bea.id.wire)")
            #expect(page.status == .notFound)
            #expect(!page.text.contains("Bea Beta"))
        }
    }

    @Test("two nurses claiming the same request at once: exactly one holds it")
    func concurrentClaims() async throws {
        try await ConsoleHarness.with(station: .stub(StubTransport("Station"))) { console in
            let store = TriageClaimStore(database: console.service.database)
            let nia = TriageClaim.Holder(id: "nia", name: "Nia Nurse")
            let noor = TriageClaim.Holder(id: "noor", name: "Noor Nurse")
            @Sendable func take(_ id: CareRequestID, _ holder: TriageClaim.Holder, _ now: Date) async -> Result<
                TriageClaim, any Error
            > {
                do { return .success(try await store.take(id, by: holder, now: now)) } catch { return .failure(error) }
            }
            for _ in 0..<10 {
                let id = CareRequestID.random()
                let now = Date()
                async let first = take(id, nia, now)
                async let second = take(id, noor, now)
                let results = await [first, second]
                let winners = results.compactMap { try? $0.get() }
                #expect(winners.count == 1)
                let holder = try #require(winners.first?.holder)
                #expect(try await store.live(id, now: now)?.holder == holder)
                for case .failure(let error) in results {
                    #expect((error as? TriageClaim.Refusal) == .heldByOther(winners[0]))
                }
            }
        }
    }

    @Test("in the database too: the holder renews, an expired claim goes to the next nurse, only the holder releases")
    func storedClaimRules() async throws {
        try await ConsoleHarness.with(station: .stub(StubTransport("Station"))) { console in
            let store = TriageClaimStore(database: console.service.database)
            let nia = TriageClaim.Holder(id: "nia", name: "Nia Nurse")
            let noor = TriageClaim.Holder(id: "noor", name: "Noor Nurse")
            let id = CareRequestID.random()
            // Whole seconds: a database keeps times to the microsecond at best.
            let start = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded())
            _ = try await store.take(id, by: nia, now: start)
            let renewed = try await store.take(id, by: nia, now: start.addingTimeInterval(200))
            #expect(renewed.expiresAt == start.addingTimeInterval(500))
            await #expect(throws: TriageClaim.Refusal.self) {
                try await store.take(id, by: noor, now: start.addingTimeInterval(499))
            }
            let taken = try await store.take(id, by: noor, now: start.addingTimeInterval(500))
            #expect(taken.holder == noor)
            #expect(try await store.live(id, now: start.addingTimeInterval(500))?.holder == noor)
            await #expect(throws: TriageClaim.Refusal.notHolder) {
                try await store.release(id, by: "nia", now: start.addingTimeInterval(501))
            }
            try await store.release(id, by: "noor", now: start.addingTimeInterval(501))
            #expect(try await store.live(id, now: start.addingTimeInterval(501)) == nil)
        }
    }

    @Test("a claim held by another nurse refuses their claim and their outcome, and names the holder")
    func claimConflict() async throws {
        let station = StubTransport("Station")
        let ada = F.Request(name: "Ada Alpha")
        F.stubDetail(station, ada)
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let nia = try await console.signIn(as: .nurse)
            let claimed = try await nia.post("/triage/\(ada.id.wire)/claim")
            #expect(claimed.status == .seeOther && claimed.location == "/triage/\(ada.id.wire)")
            #expect(try await nia.follow(claimed).text.contains("You are calling"))

            let noor = try await console.signIn(as: Self.noor)
            let refused = try await noor.follow(try await noor.post("/triage/\(ada.id.wire)/claim"))
            #expect(
                refused.text.contains("Someone else is calling this patient: held by Nia Nurse for 5 more minutes."))
            #expect(!refused.text.contains("I’m calling</button>"))

            // Station is never asked (recordTriageOutcome is not stubbed: a call would fail the test).
            let outcome = try await noor.post(
                "/triage/\(ada.id.wire)/outcome", ["outcome": "emergency", "note": "Chest pain, called 911"])
            #expect(outcome.status == .conflict)
            #expect(outcome.text.contains("Someone else is calling this patient (held by Nia Nurse"))
            #expect(outcome.text.contains("Chest pain, called 911"))

            let released = try await nia.post("/triage/\(ada.id.wire)/release")
            #expect(released.status == .seeOther && released.location == "/triage")
            let free = try await noor.post("/triage/\(ada.id.wire)/claim")
            #expect(try await noor.follow(free).text.contains("You are calling"))
        }
    }
}
