import Analytics
import Foundation
import Testing

@Suite("Funnel figures")
struct FunnelTests {
    let all = FunnelReport.compute(FunnelFixture.messages, since: nil, until: nil, partner: nil)
    let thisWeek = FunnelReport.compute(
        FunnelFixture.messages, since: FunnelFixture.monday, until: nil, partner: nil)

    private func counts(_ segment: FunnelReport.Segment?) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: (segment?.stages ?? []).map { ($0.key, $0.count) })
    }

    @Test("segments by attempts started, patients scheduling directly last; staff work in none")
    func order() {
        #expect(all.segments.map(\.segment) == [FunnelFixture.sunrise, FunnelFixture.mercy, "direct"])
        #expect(all.segments.map(\.partnerID) == [FunnelFixture.sunrise, FunnelFixture.mercy, nil])
    }

    @Test("each stage counts distinct attempts; conversion and drop-off against the stage before")
    func partnerStages() throws {
        let sunrise = try #require(thisWeek.segment(FunnelFixture.sunrise))
        #expect(
            counts(sunrise) == [
                "started": 2, "redeemed": 2, "step_patient": 2, "step_reason": 1, "step_location": 1,
                "step_window": 1, "step_details": 1, "step_review": 1, "submitted": 1, "created": 1,
            ])
        #expect(sunrise.stages.map(\.key).first == "started")
        #expect(sunrise.stage("started")?.conversion == nil)
        #expect(sunrise.stage("started")?.dropOff == 0)
        #expect(sunrise.stage("step_reason")?.conversion == 0.5)
        #expect(sunrise.stage("step_reason")?.dropOff == 1)
        #expect(sunrise.screeningOutcomes == ["self_schedule": 1, "nurse_triage": 0, "emergency": 0])
        #expect(sunrise.medianSecondsToCreated == 250)
        #expect(sunrise.phonePagesShown == 0)
    }

    @Test("an attempt a nurse must call skips the window step only; the phone page counts for its partner")
    func nurseTriage() throws {
        let mercy = try #require(all.segment(FunnelFixture.mercy))
        #expect(mercy.stage("step_window")?.count == 0)
        #expect(mercy.stage("step_window")?.dropOff == 1)
        #expect(mercy.stage("step_details")?.count == 1)
        #expect(mercy.stage("step_details")?.conversion == nil)
        #expect(mercy.stage("created")?.count == 1)
        #expect(mercy.nurseCallNeeded == 1)
        #expect(mercy.screeningOutcomes["nurse_triage"] == 1)
        #expect(mercy.phonePagesShown == 1)
        #expect(mercy.phonePagesByReason == ["online_scheduling_off": 1])
        #expect(mercy.medianSecondsToCreated.map { $0.rounded() } == 600)
    }

    @Test("patients: no handoff stage; an emergency, its phone page and one cancelled request sent twice")
    func direct() throws {
        let direct = try #require(all.segment("direct"))
        #expect(!direct.stages.contains { $0.key == "redeemed" })
        #expect(counts(direct)["started"] == 1)
        #expect(counts(direct)["step_reason"] == 1)
        #expect(counts(direct)["step_location"] == 0)
        #expect(direct.emergencyAdvised == 1)
        #expect(direct.screeningOutcomes["emergency"] == 1)
        #expect(direct.phonePagesByReason == ["emergency": 1])
        #expect(direct.cancellations == 1)
        #expect(direct.medianSecondsToCreated == nil)
    }

    @Test("since leaves out earlier events; the weekly trend runs Monday to Monday, UTC")
    func sinceAndWeeks() throws {
        #expect(counts(all.segment(FunnelFixture.sunrise))["started"] == 3)
        #expect(counts(thisWeek.segment(FunnelFixture.sunrise))["started"] == 2)
        let weeks = try #require(all.segment(FunnelFixture.sunrise)?.weeks)
        let monday = Date(timeIntervalSince1970: 1_795_996_800) // 2026-11-30 00:00 UTC
        #expect(
            weeks == [
                .init(start: monday.addingTimeInterval(-7 * 86_400), started: 1, created: 0),
                .init(start: monday, started: 2, created: 1),
            ])
        let until = FunnelReport.compute(
            FunnelFixture.messages, since: nil, until: FunnelFixture.monday, partner: nil)
        #expect(until.segments.map(\.segment) == [FunnelFixture.sunrise])
    }

    @Test("an attempt started before the period and created in it is in neither the stages nor the weekly trend")
    func straddlingAttempt() throws {
        var events = FunnelEvents(start: FunnelFixture.monday)
        events.at(-3 * 24 * 60) {
            $0.track(.careRequestStarted, .express, "u1", FunnelFixture.sunrise, attempt: "old")
        }
        events.at(0) {
            $0.track(.careRequestStarted, .express, "u1", FunnelFixture.sunrise, attempt: "new")
            $0.track(.careRequestCreated, .oss, "u1", FunnelFixture.sunrise, attempt: "old")
            $0.track(.careRequestCreated, .oss, "u1", FunnelFixture.sunrise, attempt: "new")
        }
        let report = FunnelReport.compute(events.messages, since: FunnelFixture.monday, until: nil, partner: nil)
        let sunrise = try #require(report.segment(FunnelFixture.sunrise))
        #expect(counts(sunrise)["started"] == 1)
        #expect(counts(sunrise)["created"] == 1)
        let created: [Int] = sunrise.weeks.map(\.created)
        #expect(created == [1])
    }

    @Test("an experiment counts an exposed person's attempt for the variant its submit says it was shown")
    func variantBySubmit() throws {
        var events = FunnelEvents(start: FunnelFixture.monday)
        let shown: (String) -> [AnalyticsProperty: String] = { [.experimentID: "review_step", .variationID: $0] }
        events.at(0) {
            $0.track(.experimentViewed, .oss, "u1", FunnelFixture.sunrise, shown("short"))
            for attempt in ["a", "b"] {
                $0.track(.careRequestStarted, .express, "u1", FunnelFixture.sunrise, attempt: attempt)
                $0.track(
                    .onboardingStepCompleted, .oss, "u1", FunnelFixture.sunrise, attempt: attempt, [.step: "details"])
            }
            $0.track(.careRequestSubmitted, .oss, "u1", FunnelFixture.sunrise, attempt: "a", shown("short"))
            // The rollout ended before `b` was submitted: it was shown the control.
            $0.track(.careRequestSubmitted, .oss, "u1", FunnelFixture.sunrise, attempt: "b", shown("standard"))
        }
        let report = FunnelReport.compute(events.messages, since: nil, until: nil, partner: nil)
        let short = try #require(report.experiments.first { $0.variant == "short" })
        #expect(short.exposed == 1)
        #expect(short.reachedReview == 1)
        #expect(short.submitted == 1)
    }

    @Test("a partner filter keeps that partner's segment only; direct names the patients")
    func partnerFilter() {
        let mercy = FunnelReport.compute(
            FunnelFixture.messages, since: nil, until: nil, partner: FunnelFixture.mercy.uppercased())
        #expect(mercy.segments.map(\.segment) == [FunnelFixture.mercy])
        #expect(mercy.experiments.isEmpty)
        let direct = FunnelReport.compute(FunnelFixture.messages, since: nil, until: nil, partner: "direct")
        #expect(direct.segments.map(\.segment) == ["direct"])
    }

    @Test("experiments: people exposed per variant, and their attempts that saw the review step and were submitted")
    func experiments() {
        #expect(
            all.experiments == [
                .init(experiment: "review_step", variant: "standard", exposed: 1, reachedReview: 1, submitted: 0),
                .init(experiment: "review_step", variant: "short", exposed: 1, reachedReview: 1, submitted: 1),
            ])
        #expect(
            thisWeek.experiments == [
                .init(experiment: "review_step", variant: "standard", exposed: 0, reachedReview: 0, submitted: 0),
                .init(experiment: "review_step", variant: "short", exposed: 1, reachedReview: 1, submitted: 1),
            ])
    }

    @Test("nothing in the period: no segments, no experiments")
    func empty() {
        let none = FunnelReport.compute(
            FunnelFixture.messages, since: FunnelFixture.monday.addingTimeInterval(86_400), until: nil, partner: nil)
        #expect(none.segments.isEmpty)
        #expect(none.experiments.isEmpty)
    }
}
