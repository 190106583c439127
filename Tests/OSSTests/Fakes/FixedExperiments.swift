import Foundation
import Platform
import Vocabulary

/// An experiments book for tests: everybody sees `variant`; who was asked about is kept for the test to read.
final class FixedExperiments: ExperimentBook, @unchecked Sendable {
    struct Question: Equatable {
        var experiment: KnownExperiment
        var subject: String
        var actor: AnalyticsActor
        var partner: PartnerID?
    }

    let variant: String
    private let lock = NSLock()
    private var questions: [Question] = []

    init(_ variant: String) { self.variant = variant }

    var asked: [Question] { lock.withLock { questions } }

    func variant(
        of experiment: KnownExperiment, for subject: String, actor: AnalyticsActor, partner: PartnerID?,
        tracker: Tracker
    ) async -> String {
        lock.withLock {
            questions.append(Question(experiment: experiment, subject: subject, actor: actor, partner: partner))
        }
        return variant
    }
}
