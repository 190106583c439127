import Foundation
import Vocabulary

/// One segment's figures while messages are read.
struct SegmentTally {
    let key: String
    private var stages: [String: Set<String>] = [:]
    private var firstStarted: [String: Date] = [:]
    private var firstCreated: [String: Date] = [:]
    private var screening: [String: Set<String>] = [:]
    private var emergencies: Set<String> = []
    private var nurseCalls: Set<String> = []
    private var cancelled: Set<String> = []
    private var phonePages: [String: Int] = [:]

    init(key: String) { self.key = key }

    mutating func add(_ name: AnalyticsEventName, _ message: AnalyticsMessage) {
        let attempt = attemptKey(message)
        if let stage = FunnelReport.stageKey(of: name, message) { stages[stage, default: []].insert(attempt) }
        switch name {
        case .careRequestStarted:
            firstStarted[attempt] = min(firstStarted[attempt] ?? .distantFuture, message.timestamp)
        case .careRequestCreated:
            firstCreated[attempt] = min(firstCreated[attempt] ?? .distantFuture, message.timestamp)
        case .screeningCompleted:
            if let outcome = message.property(.outcome) { screening[outcome, default: []].insert(attempt) }
        case .emergencyAdvised: emergencies.insert(attempt)
        case .nurseCallNeeded: nurseCalls.insert(attempt)
        case .careRequestCancelled: cancelled.insert(message.property(.careRequestID) ?? message.messageId)
        case .phonePageShown: phonePages[message.property(.reason) ?? "unknown", default: 0] += 1
        default: break
        }
    }

    var started: Int { stages["started"]?.count ?? 0 }

    var segment: FunnelReport.Segment {
        let direct = key == FunnelReport.direct
        var previous: Int?
        // A cohort: the attempts started in the period, followed through the stages. A change or cancellation's
        // handoff is redeemed too, but it started no new request, so it is in no stage.
        let cohort = stages["started"] ?? []
        let stageList = FunnelReport.stageOrder.filter { !(direct && $0.key == "redeemed") }.map { stage in
            let count = (stages[stage.key] ?? []).intersection(cohort).count
            defer { previous = count }
            return FunnelReport.Stage(
                key: stage.key, label: stage.label, count: count,
                conversion: previous.flatMap { $0 > 0 ? Double(count) / Double($0) : nil },
                dropOff: previous.map { $0 - count } ?? 0)
        }
        var outcomes = Dictionary(uniqueKeysWithValues: ScreeningOutcome.allCases.map { ($0.rawValue, 0) })
        for (outcome, attempts) in screening { outcomes[outcome] = attempts.count }
        return FunnelReport.Segment(
            segment: key, partnerID: direct ? nil : key, stages: stageList, screeningOutcomes: outcomes,
            emergencyAdvised: emergencies.count, nurseCallNeeded: nurseCalls.count, cancellations: cancelled.count,
            phonePagesShown: phonePages.values.reduce(0, +), phonePagesByReason: phonePages,
            medianSecondsToCreated: medianSecondsToCreated, weeks: weeks)
    }

    private var medianSecondsToCreated: Double? {
        let durations = firstCreated.compactMap { attempt, created in
            firstStarted[attempt].map { created.timeIntervalSince($0) }
        }.filter { $0 >= 0 }.sorted()
        guard !durations.isEmpty else { return nil }
        let middle = durations.count / 2
        return durations.count.isMultiple(of: 2) ? (durations[middle - 1] + durations[middle]) / 2 : durations[middle]
    }

    /// Every week from the first to the last start or creation of the cohort, empty weeks included.
    private var weeks: [FunnelReport.Week] {
        let started = Dictionary(grouping: firstStarted.values, by: FunnelReport.weekStart(of:)).mapValues(\.count)
        // The cohort again: a request created this week from an attempt started before the period is in no stage.
        let cohort = stages["started"] ?? []
        let createdInCohort = firstCreated.filter { cohort.contains($0.key) }.values
        let created = Dictionary(grouping: createdInCohort, by: FunnelReport.weekStart(of:)).mapValues(\.count)
        let all = Set(started.keys).union(created.keys)
        guard let first = all.min(), let last = all.max() else { return [] }
        return stride(from: first.timeIntervalSince1970, through: last.timeIntervalSince1970, by: 7 * 86_400).map {
            let start = Date(timeIntervalSince1970: $0)
            return FunnelReport.Week(start: start, started: started[start] ?? 0, created: created[start] ?? 0)
        }
    }
}

/// Experiment exposures and the attempts of the people exposed, while messages are read.
struct ExperimentTally {
    /// experiment → variant → person → first exposure.
    private var exposures: [String: [String: [String: Date]]] = [:]
    /// person → attempt → when it completed the details step (and so saw the review step).
    private var reviewReached: [String: [String: Date]] = [:]
    private var submitted: Set<String> = []
    /// attempt → experiment → the variant its submit says it was shown (OSS tags Care Request Submitted).
    private var submittedIn: [String: [String: String]] = [:]

    mutating func add(_ name: AnalyticsEventName, _ message: AnalyticsMessage) {
        switch name {
        case .experimentViewed:
            guard let experiment = message.property(.experimentID), let variant = message.property(.variationID),
                let person = actorKey(message)
            else { return }
            let seen = exposures[experiment]?[variant]?[person] ?? .distantFuture
            exposures[experiment, default: [:]][variant, default: [:]][person] = min(seen, message.timestamp)
        case .onboardingStepCompleted where message.property(.step) == "details":
            guard let person = actorKey(message) else { return }
            let attempt = attemptKey(message)
            reviewReached[person, default: [:]][attempt] = min(
                reviewReached[person]?[attempt] ?? .distantFuture, message.timestamp)
        case .careRequestSubmitted:
            submitted.insert(attemptKey(message))
            if let experiment = message.property(.experimentID), let variant = message.property(.variationID) {
                submittedIn[attemptKey(message), default: [:]][experiment] = variant
            }
        default: break
        }
    }

    var figures: [FunnelReport.VariantFigures] {
        exposures.keys.sorted().flatMap { experiment in
            let variants = exposures[experiment] ?? [:]
            let known = KnownExperiment(rawValue: experiment)?.variantNames ?? []
            let names = known + variants.keys.filter { !known.contains($0) }.sorted()
            return names.map { variant in
                let people = variants[variant] ?? [:]
                // An attempt whose submit names another variant (the rollout changed since) is not this one's.
                let attempts = people.reduce(into: Set<String>()) { $0.formUnion(shown($1.key, since: $1.value)) }
                    .filter { (submittedIn[$0]?[experiment] ?? variant) == variant }
                return FunnelReport.VariantFigures(
                    experiment: experiment, variant: variant, exposed: people.count, reachedReview: attempts.count,
                    submitted: attempts.intersection(submitted).count)
            }
        }
    }

    /// The person's attempts shown the variant: the one on the review step when they were first exposed (the
    /// latest to complete the details step before), and every one that completed it later.
    private func shown(_ person: String, since exposure: Date) -> Set<String> {
        let attempts = reviewReached[person] ?? [:]
        var shown = Set(attempts.filter { $0.value >= exposure }.keys)
        if let current = attempts.filter({ $0.value < exposure }).max(by: { $0.value < $1.value }) {
            shown.insert(current.key)
        }
        return shown
    }
}
