import Foundation

extension FunnelReport {
    /// The funnel's stages in order: the event that marks each and words for people. `redeemed` is for partner
    /// segments only (patients have no handoff).
    package static let stageOrder: [(key: String, label: String)] =
        [("started", "Started"), ("redeemed", "Handoff redeemed")]
        + steps.map { ("step_\($0.step)", "Step: \($0.title)") }
        + [("submitted", "Submitted"), ("created", "Created")]

    /// OSS's onboarding steps in order (`Onboarding Step Completed`'s `step`), with their titles.
    package static let steps: [(step: String, title: String)] = [
        ("patient", "Patient"), ("reason", "Reason for the visit"), ("location", "Visit address"),
        ("window", "Time window"), ("details", "Insurance and contacts"), ("review", "Review and submit"),
    ]

    /// The stage `message` marks, if any.
    static func stageKey(of name: AnalyticsEventName, _ message: AnalyticsMessage) -> String? {
        switch name {
        case .careRequestStarted: "started"
        case .handoffRedeemed: "redeemed"
        case .onboardingStepCompleted:
            message.property(.step).flatMap { step in steps.contains { $0.step == step } ? "step_\(step)" : nil }
        case .careRequestSubmitted: "submitted"
        case .careRequestCreated: "created"
        default: nil
        }
    }

    /// The segment `message` counts in: its partner, `direct` for a patient's (OSS without a partner, or marked
    /// `audience=direct` or with a draft fingerprint), nil for what belongs to no funnel (staff work in Console).
    static func segmentKey(of message: AnalyticsMessage) -> String? {
        if message.context.app.name == AnalyticsApp.console.rawValue { return nil }
        if let partner = message.property(.partnerID) { return partner.lowercased() }
        if message.property(.audience) == direct || message.property(.draftFingerprint) != nil
            || message.context.app.name == AnalyticsApp.oss.rawValue
        {
            return direct
        }
        return nil
    }

    /// Monday 00:00 UTC of the week holding `date`.
    static func weekStart(of date: Date) -> Date {
        let day = 86_400.0
        // 1970-01-01 was a Thursday: shifting by three days puts week boundaries on Mondays.
        let days = (date.timeIntervalSince1970 / day).rounded(.down) + 3
        let monday = (days / 7).rounded(.down) * 7 - 3
        return Date(timeIntervalSince1970: monday * day)
    }
}

/// What identifies one attempt in the counts: its fingerprint, else the message itself.
func attemptKey(_ message: AnalyticsMessage) -> String {
    switch AnalyticsAttempt(message) {
    case .handoff(let fingerprint): "handoff:\(fingerprint)"
    case .draft(let fingerprint): "draft:\(fingerprint)"
    case nil: "message:\(message.messageId)"
    }
}

/// Who did it: the user id, else the anonymous id.
func actorKey(_ message: AnalyticsMessage) -> String? { message.userId ?? message.anonymousId }
