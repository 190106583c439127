import Foundation

/// A dispatcher's request to move a care request, checked against the allowed transitions.
public struct StatusTransition: Sendable, Equatable {
    public var from: CareRequestStatus
    public var to: CareRequestStatus
    public var reason: String?
    public var eta: DateInterval?

    public init(from: CareRequestStatus, to: CareRequestStatus, reason: String?, eta: DateInterval?) {
        self.from = from
        self.to = to
        self.reason = reason
        self.eta = eta
    }

    public enum Refusal: Error, Equatable, Sendable {
        /// The move is not one of the allowed transitions.
        case notAllowed(from: CareRequestStatus, to: CareRequestStatus)
        /// Archiving needs a reason.
        case reasonRequired
        /// Scheduling needs an ETA range.
        case etaRequired
    }

    /// Checks the move; returns nothing when it may happen.
    public func validate() throws(Refusal) {
        guard from.canMove(to: to) else { throw .notAllowed(from: from, to: to) }
        if to == .archived, (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .reasonRequired
        }
        if to == .scheduled, eta == nil { throw .etaRequired }
    }
}
