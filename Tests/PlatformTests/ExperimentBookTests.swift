import Analytics
import Foundation
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import Platform

@Suite("Experiments store")
struct ExperimentBookTests {
    /// A fresh database with the experiments' tables, a book that re-reads definitions on every call, and a tracker
    /// that records.
    private static func with(_ body: (DatabaseExperiments, Tracker, RecordingAnalyticsSink) async throws -> Void)
        async throws
    {
        try await TestDatabase.withApplication { app, location in
            try app.useServiceDatabase(location, migrations: ExperimentMigrations.all)
            try await app.migrateDatabase()
            let sink = RecordingAnalyticsSink()
            try await body(
                DatabaseExperiments(database: app.serviceDatabase, cacheLifetime: .zero),
                Tracker(app: .oss, sink: sink), sink)
        }
    }

    private let partner = PartnerID(DemoPartners.sunriseID)

    @Test("nobody is in an experiment until an operator sets one: the control, no exposure, no event")
    func defaultIsControl() async throws {
        try await Self.with { book, tracker, sink in
            let variant = await book.variant(
                of: .reviewStep, for: "user-1", actor: .user("user-1"), partner: partner, tracker: tracker)
            #expect(variant == "standard")
            #expect(await sink.messages.isEmpty)
            let exposures = try await book.overview().first?.exposures
            #expect(exposures == ["standard": 0, "short": 0])
        }
    }

    @Test("a person keeps the variant they first saw when the weights change, while they stay in the rollout")
    func stickyVariant() async throws {
        try await Self.with { book, tracker, sink in
            try await book.apply(
                ExperimentChange.parse(experiment: "review_step", rollout: 100, weights: "standard=0,short=1"))
            let first = await book.variant(
                of: .reviewStep, for: "user-1", actor: .user("user-1"), partner: partner, tracker: tracker)
            try await book.apply(
                ExperimentChange.parse(experiment: "review_step", rollout: 100, weights: "standard=1,short=0"))
            let later = await book.variant(
                of: .reviewStep, for: "user-1", actor: .user("user-1"), partner: partner, tracker: tracker)
            let newcomer = await book.variant(
                of: .reviewStep, for: "user-2", actor: .user("user-2"), partner: partner, tracker: tracker)
            #expect([first, later, newcomer] == ["short", "short", "standard"])
            #expect(await sink.tracked.compactMap { $0.property(.variationID) } == ["short", "standard"])
        }
    }

    @Test("the first exposure only records a person and tracks Experiment Viewed; later views send nothing")
    func firstExposureOnly() async throws {
        try await Self.with { book, tracker, sink in
            try await book.apply(
                ExperimentChange.parse(experiment: "review_step", rollout: 100, weights: "standard=0,short=1"))
            for _ in 0..<3 {
                let variant = await book.variant(
                    of: .reviewStep, for: "user-1", actor: .user("user-1"), partner: partner, tracker: tracker)
                #expect(variant == "short")
            }
            _ = await book.variant(
                of: .reviewStep, for: "user-2", actor: .user("user-2"), partner: nil, tracker: tracker)
            let tracked = await sink.tracked
            #expect(tracked.map(\.event) == ["Experiment Viewed", "Experiment Viewed"])
            #expect(tracked.map(\.userId) == ["user-1", "user-2"])
            #expect(tracked.first?.property(.experimentID) == "review_step")
            #expect(tracked.first?.property(.variationID) == "short")
            #expect(tracked.first?.property(.partnerID) == partner.wire)
            #expect(tracked.last?.property(.partnerID) == nil)
            let exposures = try await book.overview().first?.exposures
            #expect(exposures == ["standard": 0, "short": 2])
        }
    }

    @Test("two instances recording one person's exposure at once: only one insert reports it recorded")
    func lostRace() async throws {
        try await TestDatabase.withApplication { app, location in
            try app.useServiceDatabase(location, migrations: ExperimentMigrations.all)
            try await app.migrateDatabase()
            let db = app.serviceDatabase.db.sql
            let now = Date()
            #expect(
                try await ExperimentExposureModel.insert("review_step", subject: "u", variant: "short", at: now, on: db)
            )
            #expect(
                try await !ExperimentExposureModel.insert(
                    "review_step", subject: "u", variant: "standard", at: now, on: db))
            #expect(try await ExperimentExposureModel.counts(on: db) == ["review_step": ["short": 1]])
        }
    }

    @Test("a rollout back to 0 shows everybody the control again, without new exposures")
    func rollBack() async throws {
        try await Self.with { book, tracker, sink in
            try await book.apply(
                ExperimentChange.parse(experiment: "review_step", rollout: 100, weights: "standard=0,short=1"))
            _ = await book.variant(of: .reviewStep, for: "u", actor: .user("u"), partner: nil, tracker: tracker)
            try await book.apply(ExperimentChange.parse(experiment: "review_step", rollout: 0, weights: nil))
            let variant = await book.variant(
                of: .reviewStep, for: "u", actor: .user("u"), partner: nil, tracker: tracker)
            #expect(variant == "standard")
            #expect(await sink.events == ["Experiment Viewed"])
            let overview = try await book.overview()
            let definition = try #require(overview.first?.definition)
            #expect(definition.rolloutPercent == 0)
            #expect(definition.variants.map(\.weight) == [0, 1])
        }
    }

    @Test("a failing database answers the control and sends nothing")
    func failingDatabase() async throws {
        try await TestDatabase.withApplication { app, location in
            try app.useServiceDatabase(location, migrations: []) // no tables
            let sink = RecordingAnalyticsSink()
            let book = DatabaseExperiments(database: app.serviceDatabase, cacheLifetime: .zero)
            let variant = await book.variant(
                of: .reviewStep, for: "u", actor: .user("u"), partner: nil, tracker: Tracker(app: .oss, sink: sink))
            #expect(variant == "standard")
            #expect(await sink.messages.isEmpty)
        }
    }

    @Test("list shows the rollout, each variant's weight and share, and people exposed")
    func overviewLines() async throws {
        try await Self.with { book, tracker, _ in
            try await book.apply(
                ExperimentChange.parse(experiment: "review_step", rollout: 50, weights: "standard=1,short=3"))
            let lines = try await book.overview().flatMap(\.lines)
            #expect(
                lines == [
                    "review_step: rollout 50%",
                    "  standard: weight 1 (25%), the control; 0 people exposed",
                    "  short: weight 3 (75%); 0 people exposed",
                ])
        }
    }
}

@Suite("Experiment settings")
struct ExperimentChangeTests {
    @Test("a known experiment, a rollout from 0 to 100 and a weight for each variant")
    func valid() throws {
        let change = try ExperimentChange.parse(experiment: "review_step", rollout: 50, weights: "short=2, standard=1")
        #expect(change == ExperimentChange(experiment: .reviewStep, rolloutPercent: 50, weights: [1, 2]))
        #expect(try ExperimentChange.parse(experiment: "review_step", rollout: 0, weights: nil).weights == nil)
    }

    @Test(
        "anything else is refused in words",
        arguments: [
            ("checkout", 10, nil, "There is no experiment checkout. Known: review_step."),
            ("review_step", 101, nil, "The rollout is a percentage from 0 to 100, not 101."),
            ("review_step", -1, nil, "The rollout is a percentage from 0 to 100, not -1."),
            (
                "review_step", 5, "standard=1,long=1",
                "review_step has no variant long; its variants are standard, short."
            ),
            ("review_step", 5, "standard=1", "Give a weight for each variant: standard, short."),
            ("review_step", 5, "standard=1,short", "Weights look like standard=1,short=1."),
            ("review_step", 5, "standard=0,short=0", "Weights are whole numbers from 0 to 1000, and not all 0."),
            ("review_step", 5, "standard=-1,short=2", "Weights are whole numbers from 0 to 1000, and not all 0."),
            ("review_step", 5, "standard=1,standard=2", "The variant standard is weighted twice."),
        ] as [(String, Int, String?, String)])
    func refused(experiment: String, rollout: Int, weights: String?, message: String) {
        #expect(throws: ExperimentSettingError(message)) {
            try ExperimentChange.parse(experiment: experiment, rollout: rollout, weights: weights)
        }
    }
}
