/// Where a care request stands, in Station's wire names. Dispatch moves it forward (StationDomain's
/// `StatusTransition` holds the rules); `archived` ends it early.
package enum CareRequestStatus: String, CaseIterable, Codable, Sendable {
    case pendingTriage = "pending_triage"
    case requested
    case accepted
    case scheduled
    case onRoute = "on_route"
    case onScene = "on_scene"
    case complete
    case archived

    /// Current requests are still open; past ones are complete or archived.
    package var phase: CareRequestPhase {
        switch self {
        case .complete, .archived: .past
        default: .current
        }
    }

    package var isOpen: Bool { phase == .current }
}

/// Current requests are still to be seen to; past ones are complete or archived.
package enum CareRequestPhase: String, CaseIterable, Codable, Sendable {
    case current
    case past
}

/// How a care request reached Station.
package enum CareRequestSource: String, CaseIterable, Codable, Sendable {
    case express
    case ossPartner = "oss_partner"
    case ossD2M = "oss_d2m"
    case phone
}
