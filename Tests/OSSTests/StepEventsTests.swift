import Foundation
import OSSDomain
import Platform
import Testing
import Vocabulary

@testable import OSS

/// Which events an accepted step sends, and that a draft remembers the steps it has done: plain rules, no server.
@Suite("Step events")
struct StepEventsTests {
    static func names(_ step: Step, first: Bool, before: ScreeningOutcome?, after: ScreeningOutcome?)
        -> [AnalyticsEventName]
    {
        StepEvents.accepted(step, firstTime: first, outcomeBefore: before, outcome: after).map(\.name)
    }

    static func draft() -> Draft {
        Draft(id: .random(), audience: .direct, owner: .patient(account: "a"), createdAt: Date())
    }

    @Test("a step is completed once per draft; an accepted edit sends nothing new")
    func once() {
        var draft = Self.draft()
        let first = draft.markCompleted(.location)
        let again = draft.markCompleted(.location)
        #expect(first && !again)
        let events = StepEvents.accepted(.location, firstTime: true, outcomeBefore: nil, outcome: nil)
        #expect(events == [TrackedEvent(.onboardingStepCompleted, [.step: .string("location")])])
        #expect(Self.names(.location, first: false, before: nil, after: nil).isEmpty)
    }

    @Test("the reason step sends screening's outcome and what it means; again only when an edit changed it")
    func screening() {
        let nurse = Self.names(.reason, first: true, before: nil, after: .nurseTriage)
        #expect(nurse == [.onboardingStepCompleted, .screeningCompleted, .nurseCallNeeded])
        let plain = Self.names(.reason, first: true, before: nil, after: .selfSchedule)
        #expect(plain == [.onboardingStepCompleted, .screeningCompleted])
        let same = Self.names(.reason, first: false, before: .selfSchedule, after: .selfSchedule)
        #expect(same.isEmpty)
        let changed = StepEvents.accepted(.reason, firstTime: false, outcomeBefore: .selfSchedule, outcome: .emergency)
        #expect(changed.map(\.name) == [.screeningCompleted, .emergencyAdvised])
        #expect(changed.first?.properties[.outcome] == .string("emergency"))
    }

    @Test("the draft's fingerprint is 12 hex characters of a hash, never its id")
    func fingerprint() {
        let draft = Self.draft()
        let fingerprint = draft.fingerprint
        #expect(fingerprint.count == 12 && fingerprint.allSatisfy(\.isHexDigit))
        #expect(!draft.id.wire.contains(fingerprint))
        var same = Self.draft()
        same.id = draft.id
        #expect(same.fingerprint == fingerprint)
    }

    @Test("the steps done are stored beside the answers and read back; drafts stored before read as none done")
    func stored() throws {
        let answers = Draft.Answers(reason: .init(chiefComplaint: "Cough", symptoms: ["cough"]))
        let data = try JSONEncoder().encode(StoredAnswers(answers, completedSteps: [.reason, .patient]))
        let read = try JSONDecoder().decode(StoredAnswers.self, from: data)
        #expect(read.answers == answers)
        #expect(read.completedSteps == [.patient, .reason])
        let old = try JSONEncoder().encode(answers)
        let before = try JSONDecoder().decode(StoredAnswers.self, from: old)
        #expect(before.answers == answers)
        #expect(before.completedSteps.isEmpty)
    }
}
