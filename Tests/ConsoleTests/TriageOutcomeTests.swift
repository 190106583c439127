import ConsoleDomain
import Foundation
import Platform
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import Console

/// The outcome forms: each reaches Station's recordTriageOutcome with the nurse's decision, and a refusal (the
/// form's own or Station's) shows the page again with everything typed kept.
@Suite("Console triage outcomes")
struct TriageOutcomeTests {
    typealias F = TriageFixtures

    static func handled(_ request: F.Request) -> String {
        var after = request
        after.status = "requested"
        return F.json(F.careRequest(after))
    }

    @Test(
        "schedule, emergency and close reach Station with the note, then the queue says what happened",
        arguments: [
            (
                ["outcome": "schedule", "window": TriageOutcomeForm.windowValue(F.window)],
                ["outcome": "schedule", "window_start": "2026-12-01T15:00:00Z", "window_end": "2026-12-01T17:00:00Z"],
                "Scheduled for Tue, Dec 1, 8:00 AM–10:00 AM MST."
            ),
            (["outcome": "emergency"], ["outcome": "emergency"], "Sent to emergency care"),
            (
                ["outcome": "close", "reason_code": "patient_declined"],
                ["outcome": "close", "reason_code": "patient_declined"], "Closed: Patient declined."
            ),
        ])
    func outcomeReachesStation(form: [String: String], sent expected: [String: String], message: String)
        async throws
    {
        let station = StubTransport("Station")
        let ada = F.Request(name: "Ada Alpha")
        F.stubDetail(station, ada)
        station.stub("listTriageQueue", json: F.queue([]))
        let sent = F.stubOutcome(station, json: Self.handled(ada))
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let nia = try await console.signIn(as: .nurse)
            _ = try await nia.post("/triage/\(ada.id.wire)/claim")
            let done = try await nia.post(
                "/triage/\(ada.id.wire)/outcome", form.merging(["note": "Spoke with her daughter"]) { a, _ in a })
            #expect(done.status == .seeOther && done.location == "/triage")
            #expect(
                sent.withLockedValue { $0 } == [expected.merging(["note": "Spoke with her daughter"]) { a, _ in a }])
            #expect(try await nia.follow(done).text.contains(message))
            let event = try #require(try await console.audit("triage.outcome_recorded").first)
            #expect(event.outcome == "success" && event.careRequestIDs == ada.id.wire)
            #expect(try await TriageClaimStore(database: console.service.database).live(ada.id, now: Date()) == nil)
            let tracked = try #require(await console.analytics.tracked.first)
            #expect(tracked.event == "Triage Decision Recorded" && tracked.userId == StaffMember.nurse.id)
            #expect(
                tracked.properties == [
                    "outcome": .string(expected["outcome"]!), "care_request_id": .string(ada.id.wire),
                    "partner_id": .string(F.partner.wire),
                ])
        }
    }

    @Test("a full window: Station's refusal and its next windows are shown, the note and choice kept")
    func fullWindowKeepsInput() async throws {
        let station = StubTransport("Station")
        let ada = F.Request(name: "Ada Alpha")
        F.stubDetail(station, ada)
        let next = F.window.end.addingTimeInterval(86_400)
        let sent = F.stubOutcome(
            station, status: .conflict,
            json: F.json([
                "type": "https://selfscheduling.example/problems/window-full", "title": "Time window full",
                "status": 409, "detail": "That time window has no places left.",
                "next_available_windows": [
                    [
                        "start": F.iso(next), "end": F.iso(next.addingTimeInterval(7200)), "capacity": 4,
                        "remaining": 1,
                    ]
                ],
            ]))
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let nia = try await console.signIn(as: .nurse)
            let window = TriageOutcomeForm.windowValue(F.window)
            let page = try await nia.post(
                "/triage/\(ada.id.wire)/outcome",
                ["outcome": "schedule", "window": window, "note": "Daughter prefers mornings"])
            #expect(page.status == .conflict)
            #expect(sent.withLockedValue { $0.count } == 1)
            #expect(page.text.contains("That time window has no places left."))
            #expect(page.text.contains("Wed, Dec 2, 10:00 AM–12:00 PM MST"))
            #expect(page.text.contains(">Daughter prefers mornings</textarea>"))
            #expect(page.text.contains("<option value=\"\(window)\" selected>"))
            let event = try #require(try await console.audit("triage.outcome_recorded").first)
            #expect(event.outcome == "failed")
        }
    }

    @Test("a request another nurse already handled: Station's 409 is shown with the note kept")
    func alreadyHandled() async throws {
        let station = StubTransport("Station")
        let ada = F.Request(name: "Ada Alpha")
        F.stubDetail(station, ada)
        _ = F.stubOutcome(
            station, status: .conflict,
            json: F.json([
                "type": "https://selfscheduling.example/problems/status-conflict", "title": "Status conflict",
                "status": 409, "detail": "It is requested now: Noor Nurse moved it at 10:42.",
            ]))
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let page = try await console.signIn(as: .nurse).post(
                "/triage/\(ada.id.wire)/outcome",
                ["outcome": "close", "reason_code": "duplicate", "note": "Same as this morning"])
            #expect(page.status == .conflict)
            #expect(page.text.contains("It is requested now: Noor Nurse moved it at 10:42."))
            #expect(page.text.contains("Same as this morning</textarea>"))
            #expect(page.text.contains("<option value=\"duplicate\" selected>"))
        }
    }

    @Test("a form with no note and no reason is refused before Station, every field's error linked to it")
    func formErrorsKeepInput() async throws {
        let station = StubTransport("Station")
        let ada = F.Request(name: "Ada Alpha")
        F.stubDetail(station, ada)
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let page = try await console.signIn(as: .nurse).post(
                "/triage/\(ada.id.wire)/outcome", ["outcome": "close", "note": "  "])
            #expect(page.status == .unprocessableEntity)
            #expect(page.text.contains("aria-describedby=\"close-reason-error\""))
            #expect(
                page.text.contains(
                    "<p class=\"field-error\" id=\"close-reason-error\">Choose why the request is closed.</p>"))
            #expect(page.text.contains("aria-describedby=\"close-note-error\""))
            #expect(page.text.contains("href=\"#close-note\""))
            #expect(page.text.contains("autofocus"))
        }
    }
}
