import Vocabulary

/// A button on the dispatch board: one of Station's legal next statuses, in a dispatcher's words.
///
/// The board never decides what is legal: Station sends each request's `allowed_next`, and the board offers a move
/// for each status it names (``offered(for:)``), so a rule changed in Station changes the buttons too.
package enum BoardMove: String, CaseIterable, Sendable, Codable {
    case accept
    case schedule
    case onRoute = "on_route"
    case onScene = "on_scene"
    case complete
    case archive

    /// The move that reaches `status`; nil for statuses the board does not move to (triage is the nurses').
    package init?(target status: CareRequestStatus) {
        switch status {
        case .accepted: self = .accept
        case .scheduled: self = .schedule
        case .onRoute: self = .onRoute
        case .onScene: self = .onScene
        case .complete: self = .complete
        case .archived: self = .archive
        case .pendingTriage, .requested: return nil
        }
    }

    /// The moves to offer for a request whose legal next statuses are `allowedNext`, in the board's order
    /// (forward moves first, archive last).
    package static func offered(for allowedNext: some Sequence<CareRequestStatus>) -> [BoardMove] {
        let moves = Set(allowedNext.compactMap(BoardMove.init(target:)))
        return allCases.filter(moves.contains)
    }

    /// The status the request reaches.
    package var target: CareRequestStatus {
        switch self {
        case .accept: .accepted
        case .schedule: .scheduled
        case .onRoute: .onRoute
        case .onScene: .onScene
        case .complete: .complete
        case .archive: .archived
        }
    }

    /// The button's words.
    package var label: String {
        switch self {
        case .accept: "Accept"
        case .schedule: "Schedule"
        case .onRoute: "On the way"
        case .onScene: "On scene"
        case .complete: "Complete"
        case .archive: "Archive"
        }
    }

    /// Scheduling names when the clinician will arrive.
    package var needsArrivalEstimate: Bool { self == .schedule }

    /// Archiving says why.
    package var needsReason: Bool { self == .archive }
}
