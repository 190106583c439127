/// Why a partner or a patient cancels a care request: a short list, in Station's wire names. The optional note
/// that may come with it is free text, kept by Station only, never in an event, a log or analytics.
package enum CancellationReason: String, CaseIterable, Codable, Sendable {
    case hospitalized
    case noLongerNeeded = "no_longer_needed"
    case scheduledElsewhere = "scheduled_elsewhere"
    case wrongDetails = "wrong_details"
    case other

    /// The words people choose from.
    package var label: String {
        switch self {
        case .hospitalized: "The patient went to the hospital"
        case .noLongerNeeded: "The visit is no longer needed"
        case .scheduledElsewhere: "Care was arranged elsewhere"
        case .wrongDetails: "The request was made with wrong details"
        case .other: "Another reason"
        }
    }
}

/// What a handoff from Express to OSS is for: a new care request (the default), or changing the time of, or
/// cancelling, an existing one.
package enum HandoffIntent: String, CaseIterable, Codable, Sendable {
    case new
    case reschedule
    case cancel
}

extension CareRequestStatus {
    /// A request may be rescheduled or cancelled by its partner or patient until the care team sets out
    /// ("on the way"); from then on, and once it has ended, only a phone call changes it.
    package var isChangeableByRequester: Bool {
        switch self {
        case .pendingTriage, .requested, .accepted, .scheduled: true
        case .onRoute, .onScene, .complete, .archived: false
        }
    }
}
