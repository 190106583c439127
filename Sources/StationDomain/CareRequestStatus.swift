/// Where a care request stands. Dispatch moves it forward; `archived` ends it early.
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

    /// The statuses this one may move to.
    package var allowedNext: Set<CareRequestStatus> {
        var next: Set<CareRequestStatus> =
            switch self {
            case .pendingTriage: [.requested]
            case .requested: [.accepted]
            case .accepted: [.scheduled]
            case .scheduled: [.onRoute]
            case .onRoute: [.onScene]
            case .onScene: [.complete]
            case .complete, .archived: []
            }
        if isOpen { next.insert(.archived) }
        return next
    }

    package func canMove(to next: CareRequestStatus) -> Bool { allowedNext.contains(next) }
}

package enum CareRequestPhase: String, Codable, Sendable {
    case current
    case past
}

package enum CareRequestSource: String, CaseIterable, Codable, Sendable {
    case express
    case ossPartner = "oss_partner"
    case ossD2M = "oss_d2m"
    case phone
}
