import Foundation
import Vocabulary

/// Which notification emails attach the visit's `.ics`, and what it says: a new request with a window and a
/// reschedule publish the visit, a cancellation (or an archive by the care team) cancels it. Station's events
/// carry no calendar sequence, so the services read the request as Station has it now and pass its sequence,
/// window and status here. Express's partner emails and OSS's patient emails share this one rule.
package enum NotificationCalendar {
    /// Whether an email about `event` attaches the visit.
    package static func attaches(_ event: CareRequestEvent) -> Bool {
        switch event.type {
        case .created: event.window != nil
        case .rescheduled, .cancelled: true
        case .statusChanged: event.newStatus == .archived
        case .etaChanged: false
        }
    }

    /// Whether the attachment removes the visit from the calendar (METHOD:CANCEL).
    package static func cancels(_ event: CareRequestEvent) -> Bool {
        event.type == .cancelled || (event.type == .statusChanged && event.newStatus == .archived)
    }

    /// The visit's calendar event for an email about `event`, from the request as Station has it now (`sequence`,
    /// `window`, `status`); nil when the email attaches none, when there is no window, or when the request has been
    /// cancelled since (that cancellation's own email removes the visit; a copy published now would bring it back).
    package static func visit(
        for event: CareRequestEvent, sequence: Int, window: DateInterval?, status: CareRequestStatus, url: String?,
        stamp: Date
    ) -> VisitCalendarEvent? {
        guard attaches(event) else { return nil }
        let cancelled = cancels(event)
        if !cancelled && status == .archived { return nil }
        guard let window = window ?? event.window.map({ interval($0.start, $0.end) }) else { return nil }
        return VisitCalendarEvent(
            careRequest: event.careRequest, window: window, sequence: sequence, cancelled: cancelled, url: url,
            stamp: stamp)
    }

    /// `start` to `end`; an end before the start (which Station never sends) is read as an instant.
    package static func interval(_ start: Date, _ end: Date) -> DateInterval {
        DateInterval(start: start, end: max(start, end))
    }
}
