import Foundation
import Vocabulary

/// A dispatcher's request to move a care request, checked against the allowed transitions.
package struct StatusTransition: Sendable, Equatable {
    package var from: CareRequestStatus
    package var to: CareRequestStatus
    package var reason: String?
    package var eta: DateInterval?

    package init(from: CareRequestStatus, to: CareRequestStatus, reason: String?, eta: DateInterval?) {
        self.from = from
        self.to = to
        self.reason = reason
        self.eta = eta
    }

    package enum Refusal: Error, Equatable, Sendable {
        /// The move is not one of the allowed transitions.
        case notAllowed(from: CareRequestStatus, to: CareRequestStatus)
        /// Archiving needs a reason.
        case reasonRequired
        /// Scheduling needs an ETA range.
        case etaRequired
        /// The ETA lies outside the days a market publishes (from yesterday to the booking horizon).
        case etaOutOfRange
    }

    /// Checks the move at `now`; returns nothing when it may happen.
    package func validate(now: Date) throws(Refusal) {
        guard from.canMove(to: to) else { throw .notAllowed(from: from, to: to) }
        if to == .archived, (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .reasonRequired
        }
        if to == .scheduled, eta == nil { throw .etaRequired }
        if let eta, !Self.etaRange(now: now).contains(eta.start) || !Self.etaRange(now: now).contains(eta.end) {
            throw .etaOutOfRange
        }
    }

    /// The instants an ETA may name: from a day ago (a late entry) to the end of the booking horizon.
    package static func etaRange(now: Date) -> ClosedRange<Date> {
        now.addingTimeInterval(-86_400)...now.addingTimeInterval(Double(MarketSchedule.horizonDays + 2) * 86_400)
    }
}
