import Foundation
import Vocabulary

/// What a patient who scheduled for themselves is told by email when Station reports a change to their request:
/// received, booked, moved to a new time, a new arrival estimate, on the way, complete, cancelled. Other changes (accepted, with the patient) tell them
/// nothing new and send nothing.
package enum PatientNotice: Equatable, Sendable {
    /// The request arrived; a nurse calls first when screening asked for one, otherwise the window asked for.
    case received(window: CareRequestEvent.Interval?, nurseCalls: Bool)
    /// The visit has a time: scheduled with an arrival estimate.
    case booked(CareRequestEvent.Interval?)
    /// The patient (or the care team) moved the visit to a new window.
    case rescheduled(window: CareRequestEvent.Interval?)
    /// The care team's arrival estimate for a booked visit moved (an accepted plan, a team running late).
    case newEstimate(CareRequestEvent.Interval?)
    case onTheWay(eta: CareRequestEvent.Interval?)
    case completed
    case cancelled

    /// The notice `event` calls for, nil when it calls for none.
    package init?(_ event: CareRequestEvent) {
        switch event.type {
        case .created:
            self = .received(window: event.window, nurseCalls: event.newStatus == .pendingTriage)
        case .cancelled:
            self = .cancelled
        case .etaChanged:
            guard event.newStatus.isOpen else { return nil }
            self = .newEstimate(event.eta)
        case .rescheduled:
            guard event.newStatus.isOpen else { return nil }
            self = .rescheduled(window: event.window)
        case .statusChanged:
            switch event.newStatus {
            case .scheduled: self = .booked(event.eta ?? event.window)
            case .onRoute: self = .onTheWay(eta: event.eta)
            case .complete: self = .completed
            case .archived: self = .cancelled
            case .pendingTriage, .requested, .accepted, .onScene: return nil
            }
        }
    }
}
