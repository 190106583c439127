import Foundation
import Vocabulary

/// A partner's or patient's own change to a care request after it was made: cancelling it, or moving it to
/// another time window (and optionally another visit address). Both are allowed only until the care team sets out.
package enum RequesterChange: Sendable, Equatable {
    case cancel(CancellationReason, note: String?)
    case reschedule(to: DateInterval, visitAddress: Address?)

    /// Why a requester may no longer change the request: only a phone call does it now.
    package enum Closed: Error, Sendable, Equatable {
        /// The care team is on the way or there.
        case started(CareRequestStatus)
        /// The visit is complete, or the request was archived.
        case ended(CareRequestStatus)
        /// Waiting for a nurse's call, it has no window to move (it may still be cancelled).
        case noWindow

        /// For example "This visit has started: the care team is on the way. To change it, please call us at
        /// (303) 555-0100."
        package func detail(supportPhone: String) -> String {
            let call = "please call us at \(supportPhone)"
            return switch self {
            case .started(.onScene): "This visit has started: the care team is there. To change it, \(call)."
            case .started: "This visit has started: the care team is on the way. To change it, \(call)."
            case .ended(.complete): "This visit is complete; it can no longer be changed. For help, \(call)."
            case .ended: "This care request was cancelled or closed; it can no longer be changed. For help, \(call)."
            case .noWindow:
                "This request has no time window yet: a nurse will call to schedule it. To choose a time now, \(call)."
            }
        }
    }

    /// Whether a requester may still change a request in `status` at all (cancel, or reschedule when it has a
    /// window): the wire's `changeable`.
    package static func isOpen(_ status: CareRequestStatus) -> Bool { closure(of: status) == nil }

    /// Why a request in `status` is closed to every requester change, or nil when it is open.
    package static func closure(of status: CareRequestStatus) -> Closed? {
        if status.isChangeableByRequester { return nil }
        return status.isOpen ? .started(status) : .ended(status)
    }

    /// Checks what needs no stored data: the note's text, the new address's fields.
    package func validate() throws(FieldErrors) {
        var errors = FieldErrors()
        switch self {
        case .cancel(_, let note):
            Validate.text(note, "note", max: 500, multiline: true, into: &errors)
        case .reschedule(let window, let address):
            if window.duration <= 0 { errors.add("time_window.end", "must be after time_window.start") }
            address?.validate("visit_address", into: &errors)
        }
        try errors.throwIfAny()
    }

    /// Checks the change against the request as it is now. For a reschedule, `target` is the market the visit
    /// will be in (a new address's, else the current one), whose published windows the new window must be one of.
    package func check(_ current: Current, target: Target, now: Date) throws(Refusal) {
        if let closed = Self.closure(of: current.status) { throw .closed(closed) }
        guard case .reschedule(let window, _) = self else { return }
        guard let old = current.window else { throw .closed(.noWindow) }
        if window == old, target.market == current.market {
            throw .invalid(.single("time_window", "is the request's current window; choose another"))
        }
        guard target.schedule.isBookable(window, now: now) else {
            throw .invalid(
                .single(
                    "time_window",
                    "is not one of the \(target.name) market's published time windows still ahead (two weeks are published)"
                ))
        }
    }

    /// The request as the change finds it.
    package struct Current: Sendable, Equatable {
        package var status: CareRequestStatus
        package var window: DateInterval?
        package var market: MarketID

        package init(status: CareRequestStatus, window: DateInterval?, market: MarketID) {
            self.status = status
            self.window = window
            self.market = market
        }
    }

    /// The market a rescheduled visit will be in.
    package struct Target: Sendable, Equatable {
        package var market: MarketID
        package var name: String
        package var schedule: MarketSchedule

        package init(market: MarketID, name: String, schedule: MarketSchedule) {
            self.market = market
            self.name = name
            self.schedule = schedule
        }
    }

    package enum Refusal: Error, Sendable, Equatable {
        case closed(Closed)
        case invalid(FieldErrors)
    }

    /// The status a request goes to: archived when cancelled; a scheduled request that moves goes back to
    /// accepted (its arrival estimate was for the old window); any other keeps its status.
    package func nextStatus(from status: CareRequestStatus) -> CareRequestStatus {
        switch self {
        case .cancel: .archived
        case .reschedule: status == .scheduled ? .accepted : status
        }
    }

    /// The reason the status history records, for example "Cancelled: The visit is no longer needed. <note>" or
    /// "Rescheduled from Mon Dec 7, 09:00–11:00 to Tue Dec 8, 13:00–15:00 (America/Denver)".
    package func historyReason(from old: DateInterval?, in zone: TimeZone, newMarket: String? = nil) -> String {
        switch self {
        case .cancel(let reason, let note):
            let trimmed = note?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            return trimmed.isEmpty ? "Cancelled: \(reason.label)" : "Cancelled: \(reason.label). \(trimmed)"
        case .reschedule(let window, _):
            let from = old.map { Self.describe($0, in: zone) } ?? "no window"
            let moved = "Rescheduled from \(from) to \(Self.describe(window, in: zone)) (\(zone.identifier))"
            return newMarket.map { "\(moved), to a new visit address in the \($0) market" } ?? moved
        }
    }

    /// A window as people read it in a market's zone: "Mon Dec 7, 09:00–11:00".
    package static func describe(_ window: DateInterval, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let start = calendar.dateComponents([.weekday, .month, .day, .hour, .minute], from: window.start)
        let end = calendar.dateComponents([.hour, .minute], from: window.end)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let day = days[((start.weekday ?? 1) - 1) % 7]
        let month = months[((start.month ?? 1) - 1) % 12]
        func clock(_ c: DateComponents) -> String { String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0) }
        return "\(day) \(month) \(start.day ?? 1), \(clock(start))–\(clock(end))"
    }
}

extension FieldErrors {
    /// One bad field.
    package static func single(_ field: String, _ message: String) -> FieldErrors {
        var errors = FieldErrors()
        errors.add(field, message)
        return errors
    }
}
