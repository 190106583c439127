import OSSDomain
import Platform
import Vocabulary

/// What a step's accepted form tells analytics: the step, once per draft; for the reason step, screening's outcome
/// (again only when an edit changed it) and what the outcome means.
enum StepEvents {
    static func accepted(
        _ step: Step, firstTime: Bool, outcomeBefore: ScreeningOutcome?, outcome: ScreeningOutcome?
    ) -> [TrackedEvent] {
        var events: [TrackedEvent] = []
        if firstTime { events.append(TrackedEvent(.onboardingStepCompleted, [.step: .string(step.rawValue)])) }
        guard step == .reason, let outcome, firstTime || outcome != outcomeBefore else { return events }
        events.append(TrackedEvent(.screeningCompleted, [.outcome: .string(outcome.rawValue)]))
        switch outcome {
        case .emergency: events.append(TrackedEvent(.emergencyAdvised))
        case .nurseTriage: events.append(TrackedEvent(.nurseCallNeeded))
        case .selfSchedule: break
        }
        return events
    }
}
