import Foundation

/// The self-scheduling funnel per partner (and for patients scheduling directly), computed from analytics
/// messages: attempts started → handoffs redeemed → each onboarding step completed → submitted → created, with
/// conversion and drop-off per stage, screening outcomes, cancellations, phone pages shown, the median time from
/// start to created, and a weekly trend. Counts are distinct attempts (``AnalyticsAttempt``).
package struct FunnelReport: Codable, Sendable, Equatable {
    package struct Stage: Codable, Sendable, Equatable {
        /// Stable key (`started`, `redeemed`, `step_patient`, …, `submitted`, `created`).
        package var key: String
        /// Words for people ("Handoffs started", "Step: Time window", …).
        package var label: String
        package var count: Int
        /// count ÷ the previous stage's count, nil for the first stage or when the previous is 0.
        package var conversion: Double?
        /// The previous stage's count minus this one's (0 for the first).
        package var dropOff: Int
    }

    package struct Week: Codable, Sendable, Equatable {
        /// Monday 00:00 UTC of the week.
        package var start: Date
        package var started: Int
        package var created: Int
    }

    package struct VariantFigures: Codable, Sendable, Equatable {
        package var experiment: String
        package var variant: String
        /// People who saw the variant (Experiment Viewed).
        package var exposed: Int
        /// Their attempts that reached the review step, and that were submitted.
        package var reachedReview: Int
        package var submitted: Int
    }

    package struct Segment: Codable, Sendable, Equatable {
        /// The partner id, or nil for patients scheduling directly.
        package var partnerID: String?
        package var stages: [Stage]
        /// Screening outcome → attempts.
        package var screeningOutcomes: [String: Int]
        package var emergencyAdvised: Int
        package var nurseCallNeeded: Int
        package var cancellations: Int
        package var phonePagesShown: Int
        /// Median seconds from an attempt's start to its creation, nil when none was created.
        package var medianSecondsToCreated: Double?
        package var weeks: [Week]
    }

    package var since: Date?
    package var until: Date?
    package var segments: [Segment]
    package var experiments: [VariantFigures]
}
