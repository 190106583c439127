import Foundation
import Vocabulary

/// Where each request of a market-local day goes on the dispatch board: into the window its booking starts in,
/// or among the unscheduled when it has none (or one the day's schedule no longer has). Requests waiting for a
/// nurse (`pending_triage`) are never on the board.
package struct BoardLayout<Item: Sendable>: Sendable {
    package var windows: [(window: DateInterval, items: [Item])]
    package var unscheduled: [Item]

    package init(
        windows: [DateInterval], items: [Item], window: (Item) -> DateInterval?, status: (Item) -> CareRequestStatus
    ) {
        var slots = windows.map { (window: $0, items: [Item]()) }
        var unscheduled: [Item] = []
        for item in items where status(item) != .pendingTriage {
            if let booked = window(item),
                let index = slots.firstIndex(where: {
                    $0.window.start <= booked.start && booked.start < $0.window.end
                })
            {
                slots[index].items.append(item)
            } else if status(item).isOpen {
                unscheduled.append(item)
            }
        }
        self.windows = slots
        self.unscheduled = unscheduled
    }
}

extension CareRequestStatus {
    /// The moves a dispatcher may offer, in the order of the request's life (archived last).
    package var boardMoves: [CareRequestStatus] {
        CareRequestStatus.allCases.filter { allowedNext.contains($0) }
    }
}
