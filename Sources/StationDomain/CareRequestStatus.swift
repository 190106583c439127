import Vocabulary

extension CareRequestStatus {
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
