import ConsoleDomain
import Foundation
import Testing
import Vocabulary

@Suite("Triage claims")
struct TriageClaimTests {
    let request = CareRequestID.random()
    let nia = TriageClaim.Holder(id: "nia", name: "Nia Nurse")
    let noor = TriageClaim.Holder(id: "noor", name: "Noor Nurse")
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("a free request is claimed for five minutes")
    func claimFree() throws {
        let claim = try TriageClaim.take(request, by: nia, existing: nil, now: now)
        #expect(claim.holder == nia)
        #expect(claim.expiresAt == now.addingTimeInterval(300))
        #expect(claim.isHeld(by: "nia", at: now.addingTimeInterval(299)))
        #expect(!claim.isLive(at: now.addingTimeInterval(300)))
    }

    @Test("a live claim of another nurse refuses, naming who holds it")
    func heldByOther() throws {
        let claim = try TriageClaim.take(request, by: nia, existing: nil, now: now)
        #expect(throws: TriageClaim.Refusal.heldByOther(claim)) {
            try TriageClaim.take(request, by: noor, existing: claim, now: now.addingTimeInterval(120))
        }
    }

    @Test("the holder renews for five minutes from now")
    func renew() throws {
        let claim = try TriageClaim.take(request, by: nia, existing: nil, now: now)
        let later = now.addingTimeInterval(200)
        let renewed = try TriageClaim.take(request, by: nia, existing: claim, now: later)
        #expect(renewed.expiresAt == later.addingTimeInterval(300))
    }

    @Test("an expired claim is free for anyone")
    func expiredIsFree() throws {
        let claim = try TriageClaim.take(request, by: nia, existing: nil, now: now)
        let later = now.addingTimeInterval(301)
        let taken = try TriageClaim.take(request, by: noor, existing: claim, now: later)
        #expect(taken.holder == noor)
        #expect(claim.wording(at: later) == nil)
    }

    @Test("only the holder releases, while the claim lives")
    func release() throws {
        let claim = try TriageClaim.take(request, by: nia, existing: nil, now: now)
        try claim.checkRelease(by: "nia", now: now)
        #expect(throws: TriageClaim.Refusal.notHolder) { try claim.checkRelease(by: "noor", now: now) }
        #expect(throws: TriageClaim.Refusal.notHolder) {
            try claim.checkRelease(by: "nia", now: now.addingTimeInterval(400))
        }
    }

    @Test("the holder or anyone on an unclaimed or expired request may record an outcome")
    func outcomeRights() throws {
        let claim = try TriageClaim.take(request, by: nia, existing: nil, now: now)
        #expect(TriageClaim.mayRecordOutcome(nil, by: "noor", now: now))
        #expect(TriageClaim.mayRecordOutcome(claim, by: "nia", now: now))
        #expect(!TriageClaim.mayRecordOutcome(claim, by: "noor", now: now))
        #expect(TriageClaim.mayRecordOutcome(claim, by: "noor", now: now.addingTimeInterval(300)))
    }

    @Test(
        "the wording says who and for how many more minutes, rounded up",
        arguments: [
            (0.0, "held by Nia Nurse for 5 more minutes"), (130, "held by Nia Nurse for 3 more minutes"),
            (241, "held by Nia Nurse for 1 more minute"), (299.5, "held by Nia Nurse for 1 more minute"),
        ])
    func wording(elapsed: TimeInterval, expected: String) throws {
        let claim = try TriageClaim.take(request, by: nia, existing: nil, now: now)
        #expect(claim.wording(at: now.addingTimeInterval(elapsed)) == expected)
    }
}

@Suite("Waiting time")
struct WaitingTimeTests {
    @Test(
        "waiting time reads in days, hours and minutes",
        arguments: [
            (0, "under 1 min"), (59, "under 1 min"), (5 * 60, "5 min"), (60 * 60, "1 h"), (125 * 60, "2 h 5 min"),
            (27 * 3600 + 120, "1 d 3 h"), (48 * 3600, "2 d"), (-30, "under 1 min"),
        ])
    func wording(seconds: Int, expected: String) {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(WaitingTime.wording(since: start, now: start.addingTimeInterval(TimeInterval(seconds))) == expected)
    }
}

@Suite("Triage outcome forms")
struct TriageOutcomeFormTests {
    let window = DateInterval(
        start: Date(timeIntervalSince1970: 1_800_000_000), end: Date(timeIntervalSince1970: 1_800_007_200))

    @Test("a window survives its form value")
    func windowValue() {
        let value = TriageOutcomeForm.windowValue(window)
        #expect(value == "2027-01-15T08:00:00Z/2027-01-15T10:00:00Z")
        #expect(TriageOutcomeForm.window(from: value) == window)
        #expect(TriageOutcomeForm.window(from: "2027-01-15T10:00:00Z/2027-01-15T08:00:00Z") == nil)
        #expect(TriageOutcomeForm.window(from: "tomorrow") == nil)
    }

    @Test("schedule needs a note and a window")
    func schedule() {
        let value = TriageOutcomeForm.windowValue(window)
        let ok = TriageOutcomeForm(outcome: .schedule, note: " Spoke to daughter ", window: value).validate()
        #expect(ok == .success(.schedule(window, note: "Spoke to daughter")))
        var problems = TriageOutcomeForm.Problems()
        problems[.note] = "Write a note about the call."
        problems[.window] = "Choose a time window."
        #expect(TriageOutcomeForm(outcome: .schedule, note: "  \n", window: nil).validate() == .failure(problems))
    }

    @Test("close needs a reason from the list")
    func close() {
        #expect(
            TriageOutcomeForm(outcome: .close, note: "Declined", reasonCode: "patient_declined").validate()
                == .success(.close(.patientDeclined, note: "Declined")))
        guard
            case .failure(let problems) = TriageOutcomeForm(outcome: .close, note: "x", reasonCode: "bored")
                .validate()
        else {
            Issue.record("an unknown reason was accepted")
            return
        }
        #expect(problems[.reasonCode] == "Choose why the request is closed.")
        #expect(problems[.note] == nil)
    }

    @Test("emergency needs only the note, at most 2000 characters")
    func emergency() {
        #expect(
            TriageOutcomeForm(outcome: .emergency, note: "Chest pain").validate()
                == .success(.emergency(note: "Chest pain")))
        let longest = String(repeating: "é", count: 2000)
        #expect(
            TriageOutcomeForm(outcome: .emergency, note: longest).validate() == .success(.emergency(note: longest)))
        guard
            case .failure(let problems) = TriageOutcomeForm(
                outcome: .emergency, note: String(repeating: "a", count: 2001)
            ).validate()
        else {
            Issue.record("a 2001-character note was accepted")
            return
        }
        #expect(problems[.note] == "The note must be at most 2000 characters long.")
    }

    @Test("the close reasons are the fixed list")
    func reasons() {
        #expect(
            TriageOutcomeForm.CloseReason.allCases.map(\.rawValue) == [
                "patient_declined", "no_answer", "duplicate", "not_home_care", "other",
            ])
    }
}
