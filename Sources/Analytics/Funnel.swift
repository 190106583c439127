import Foundation

/// The self-scheduling funnel per partner (and for patients scheduling directly), computed from analytics
/// messages: attempts started → handoffs redeemed → each onboarding step completed → submitted → created, with
/// conversion and drop-off per stage, screening outcomes, cancellations, phone pages shown, the median time from
/// start to created, and a weekly trend. Counts are distinct attempts (``AnalyticsAttempt``).
///
/// Its JSON (`selfsched analytics funnel --format json`) always has every key, `null` where a value is unknown.
package struct FunnelReport: Codable, Sendable, Equatable {
    package struct Stage: Codable, Sendable, Equatable {
        /// Stable key (`started`, `redeemed`, `step_patient`, …, `submitted`, `created`).
        package var key: String
        /// Words for people ("Started", "Step: Time window", …).
        package var label: String
        package var count: Int
        /// count ÷ the previous stage's count, nil for the first stage or when the previous is 0.
        package var conversion: Double?
        /// The previous stage's count minus this one's (0 for the first; below 0 after the window step, which
        /// attempts a nurse must call skip).
        package var dropOff: Int

        package init(key: String, label: String, count: Int, conversion: Double?, dropOff: Int) {
            self.key = key
            self.label = label
            self.count = count
            self.conversion = conversion
            self.dropOff = dropOff
        }

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(key, forKey: .key)
            try container.encode(label, forKey: .label)
            try container.encode(count, forKey: .count)
            try container.encode(conversion, forKey: .conversion)
            try container.encode(dropOff, forKey: .dropOff)
        }
    }

    package struct Week: Codable, Sendable, Equatable {
        /// Monday 00:00 UTC of the week.
        package var start: Date
        /// Attempts first started in the week.
        package var started: Int
        /// Attempts created in the week.
        package var created: Int

        package init(start: Date, started: Int, created: Int) {
            self.start = start
            self.started = started
            self.created = created
        }
    }

    package struct VariantFigures: Codable, Sendable, Equatable {
        package var experiment: String
        package var variant: String
        /// People who saw the variant (Experiment Viewed).
        package var exposed: Int
        /// Their attempts that reached the review step (completed the details step), and that were submitted:
        /// the attempt on which each person was first shown the variant and every later one.
        package var reachedReview: Int
        package var submitted: Int

        package init(experiment: String, variant: String, exposed: Int, reachedReview: Int, submitted: Int) {
            self.experiment = experiment
            self.variant = variant
            self.exposed = exposed
            self.reachedReview = reachedReview
            self.submitted = submitted
        }
    }

    package struct Segment: Codable, Sendable, Equatable {
        /// The partner id, or `direct` for patients scheduling directly.
        package var segment: String
        /// The partner id, or nil for patients scheduling directly.
        package var partnerID: String?
        package var stages: [Stage]
        /// Screening outcome (every ``ScreeningOutcome`` raw value) → attempts.
        package var screeningOutcomes: [String: Int]
        package var emergencyAdvised: Int
        package var nurseCallNeeded: Int
        /// Distinct care requests cancelled.
        package var cancellations: Int
        package var phonePagesShown: Int
        /// Phone pages shown per `reason`.
        package var phonePagesByReason: [String: Int]
        /// Median seconds from an attempt's start to its creation, nil when none was created.
        package var medianSecondsToCreated: Double?
        package var weeks: [Week]

        package func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(segment, forKey: .segment)
            try container.encode(partnerID, forKey: .partnerID)
            try container.encode(stages, forKey: .stages)
            try container.encode(screeningOutcomes, forKey: .screeningOutcomes)
            try container.encode(emergencyAdvised, forKey: .emergencyAdvised)
            try container.encode(nurseCallNeeded, forKey: .nurseCallNeeded)
            try container.encode(cancellations, forKey: .cancellations)
            try container.encode(phonePagesShown, forKey: .phonePagesShown)
            try container.encode(phonePagesByReason, forKey: .phonePagesByReason)
            try container.encode(medianSecondsToCreated, forKey: .medianSecondsToCreated)
            try container.encode(weeks, forKey: .weeks)
        }

        /// The stage with `key`, if this segment has it.
        package func stage(_ key: String) -> Stage? { stages.first { $0.key == key } }
    }

    package var since: Date?
    package var until: Date?
    /// The partner id the report was limited to (or `direct`), nil for all.
    package var partner: String?
    package var segments: [Segment]
    package var experiments: [VariantFigures]

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(since, forKey: .since)
        try container.encode(until, forKey: .until)
        try container.encode(partner, forKey: .partner)
        try container.encode(segments, forKey: .segments)
        try container.encode(experiments, forKey: .experiments)
    }

    /// The segment of patients scheduling directly.
    package static let direct = "direct"

    /// The segment for `partner` (an id) or ``direct``.
    package func segment(_ key: String) -> Segment? { segments.first { $0.segment == key } }
}

extension FunnelReport {
    /// The report's JSON as `selfsched analytics funnel --format json` prints it: ISO 8601 dates, sorted keys.
    package static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
