import Foundation
import Vocabulary

/// An event as a change makes it, before Station's event log numbers it. Ids, statuses and times only: what a
/// change carries besides (names, reasons, phone numbers) never reaches an event.
package struct NewCareRequestEvent: Sendable, Equatable {
    package var type: CareRequestEvent.Kind
    package var careRequest: CareRequestID
    package var partner: PartnerID?
    package var oldStatus: CareRequestStatus?
    package var newStatus: CareRequestStatus
    package var window: CareRequestEvent.Interval?
    package var eta: CareRequestEvent.Interval?
    package var at: Date

    /// A care request was made, in `status`.
    package static func created(
        _ careRequest: CareRequestID, partner: PartnerID?, status: CareRequestStatus, window: DateInterval?,
        at: Date
    ) -> NewCareRequestEvent {
        NewCareRequestEvent(
            type: .created, careRequest: careRequest, partner: partner, oldStatus: nil, newStatus: status,
            window: window.map(CareRequestEvent.Interval.init), eta: nil, at: at)
    }

    /// A care request moved from `old` to `new`; `window` and `eta` are its own after the move.
    package static func statusChanged(
        _ careRequest: CareRequestID, partner: PartnerID?, from old: CareRequestStatus, to new: CareRequestStatus,
        window: DateInterval?, eta: DateInterval?, at: Date
    ) -> NewCareRequestEvent {
        NewCareRequestEvent(
            type: .statusChanged, careRequest: careRequest, partner: partner, oldStatus: old, newStatus: new,
            window: window.map(CareRequestEvent.Interval.init), eta: eta.map(CareRequestEvent.Interval.init), at: at)
    }

    /// Its partner or patient moved it to `window` (its new status is `new`: a scheduled request goes back to
    /// accepted, with no arrival estimate).
    package static func rescheduled(
        _ careRequest: CareRequestID, partner: PartnerID?, from old: CareRequestStatus, to new: CareRequestStatus,
        window: DateInterval, eta: DateInterval?, at: Date
    ) -> NewCareRequestEvent {
        NewCareRequestEvent(
            type: .rescheduled, careRequest: careRequest, partner: partner, oldStatus: old, newStatus: new,
            window: CareRequestEvent.Interval(window), eta: eta.map(CareRequestEvent.Interval.init), at: at)
    }

    /// Dispatch gave the visit a new arrival estimate; its status (`status`) and window stay as they were.
    package static func etaChanged(
        _ careRequest: CareRequestID, partner: PartnerID?, status: CareRequestStatus, window: DateInterval?,
        eta: DateInterval, at: Date
    ) -> NewCareRequestEvent {
        NewCareRequestEvent(
            type: .etaChanged, careRequest: careRequest, partner: partner, oldStatus: status, newStatus: status,
            window: window.map(CareRequestEvent.Interval.init), eta: CareRequestEvent.Interval(eta), at: at)
    }

    /// Its partner or patient cancelled it: archived, its `window` (the one it held) given back.
    package static func cancelled(
        _ careRequest: CareRequestID, partner: PartnerID?, from old: CareRequestStatus, window: DateInterval?,
        at: Date
    ) -> NewCareRequestEvent {
        NewCareRequestEvent(
            type: .cancelled, careRequest: careRequest, partner: partner, oldStatus: old, newStatus: .archived,
            window: window.map(CareRequestEvent.Interval.init), eta: nil, at: at)
    }

    /// The event as published, once the log has given it `id`.
    package func numbered(_ id: Int64) -> CareRequestEvent {
        CareRequestEvent(
            id: id, type: type, careRequest: careRequest, partner: partner, oldStatus: oldStatus,
            newStatus: newStatus, window: window, eta: eta, at: at)
    }
}

extension CareRequestEvent.Interval {
    package init(_ interval: DateInterval) { self.init(start: interval.start, end: interval.end) }
}
