import Foundation
import Vocabulary

/// A move refused because the request is no longer in the status the caller saw: who moved it, to what, when.
package struct StatusConflict: Error, Sendable, Equatable {
    package var current: CareRequestStatus
    /// The last change, from the history; nil only for a request without one.
    package var lastChange: StatusChange?
    /// The market's time zone, in which the time of the last change is told.
    package var timeZone: TimeZone

    package init(current: CareRequestStatus, lastChange: StatusChange?, timeZone: TimeZone) {
        self.current = current
        self.lastChange = lastChange
        self.timeZone = timeZone
    }

    /// For example "This care request is on_route now: dee moved it there at 10:42 (America/Denver)."
    package var detail: String {
        guard let change = lastChange else { return "This care request is \(current.rawValue) now." }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: change.changedAt)
        let clock = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        return
            "This care request is \(current.rawValue) now: \(change.actor) moved it there at \(clock) (\(timeZone.identifier))."
    }
}
