/// What screening decided: schedule now, have a nurse call first, or send the person to emergency care.
package enum ScreeningOutcome: String, Codable, Sendable, CaseIterable {
    case selfSchedule = "self_schedule"
    case nurseTriage = "nurse_triage"
    case emergency
}
