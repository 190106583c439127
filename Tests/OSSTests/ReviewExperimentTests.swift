import Foundation
import OSSDomain
import Platform
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import OSS

/// The review step's experiment (`review_step`): the variant comes from the experiments book; `short` is a shorter
/// page that hides nothing and submits the same request.
@Suite("The review step's experiment")
struct ReviewExperimentTests {
    typealias Harness = OSSHarness

    /// Walks a partner draft to review under `variant`: the review page and the request Station was asked to create.
    static func run(_ variant: String) async throws -> (page: String, made: CareRequestToCreate) {
        let book = FixedExperiments(variant)
        var result: (String, CareRequestToCreate)?
        try await Harness.with(experiments: { _ in book }) { oss in
            let world = oss.stationSchedules()
            let (browser, draft) = try await oss.newDraft()
            try await oss.fill(browser, draft: draft)
            let review = try await browser.get(draft.replacingOccurrences(of: "/patient", with: "/review"))
            #expect(review.status == .ok)
            #expect(
                book.asked == [
                    .init(
                        experiment: .reviewStep, subject: Harness.scheduler.owner,
                        actor: .user(Harness.scheduler.owner), partner: Harness.sunrise)
                ])
            #expect(
                try await browser.post(draft.replacingOccurrences(of: "/patient", with: "/submit")).status == .seeOther)
            result = (review.text, try #require(world.made.first?.request))
        }
        return try #require(result)
    }

    @Test(
        "the short review shows who, where and when with one submit, keeps every answer under Show all answers, and submits the same request"
    )
    func short() async throws {
        let standard = try await Self.run("standard")
        let short = try await Self.run("short")
        #expect(!standard.page.contains("Show all answers"))
        for part in [
            "<dt>Who</dt><dd>Nora Newcomer, born 1950-02-03</dd>",
            "<dt>Where</dt><dd>1600 Larimer St, Denver, CO 80202</dd>",
            "<dt>When</dt>", "<summary>Show all answers</summary>",
        ] {
            #expect(short.page.contains(part), "\(part)")
        }
        // Every answer of the standard page, with its way back to its step, is on the short page too.
        for answer in ["Cough for three days", "Front desk · 303-555-0100", "/reason\" class=\"small\">Change</a>"] {
            #expect(standard.page.contains(answer) && short.page.contains(answer), "\(answer)")
        }
        #expect(short.page.components(separatedBy: "Submit request").count == 2)
        var a = standard.made
        var b = short.made
        (a.patient, a.idempotencyKey) = (b.patient, b.idempotencyKey)
        #expect(a == b)
        b.chiefComplaint = "x"
        #expect(a != b)
    }
}

/// The live book (OSS's database): an operator's setting decides, and the first exposure is tracked once.
@Suite("The review step's experiment, set in OSS's database")
struct ReviewExperimentDatabaseTests {
    typealias Harness = OSSHarness

    @Test("with everybody in the short variant, the review is short and Experiment Viewed is tracked once")
    func everybodyShort() async throws {
        try await Harness.with(experiments: { DatabaseExperiments(database: $0) }) { oss in
            // As `selfsched experiments set` does, on OSS's database.
            _ = try await DatabaseExperiments(database: oss.app.serviceDatabase).apply(
                try .parse(experiment: "review_step", rollout: 100, weights: "standard=0,short=1"))
            oss.stationSchedules()
            let (browser, draft) = try await oss.newDraft()
            try await oss.fill(browser, draft: draft)
            let review = draft.replacingOccurrences(of: "/patient", with: "/review")
            #expect(try await browser.get(review).text.contains("Show all answers"))
            #expect(try await browser.get(review).text.contains("Show all answers"))
            let viewed = await oss.analytics.tracked.filter { $0.event == "Experiment Viewed" }
            #expect(viewed.count == 1)
            #expect(viewed.first?.property(.experimentID) == "review_step")
            #expect(viewed.first?.property(.variationID) == "short")
            #expect(viewed.first?.userId == Harness.scheduler.owner && viewed.first?.partnerID == Harness.sunrise.wire)
        }
    }
}
