import Foundation
import Vocabulary

/// What a market's reservation row says of one window: its places, how many are taken, and when it last changed
/// (nil for rows written before that was recorded).
package struct WindowReservation: Sendable, Equatable {
    package var capacity: Int
    package var booked: Int
    package var updatedAt: Date?

    package init(capacity: Int, booked: Int, updatedAt: Date? = nil) {
        self.capacity = capacity
        self.booked = booked
        self.updatedAt = updatedAt
    }
}

/// One time window of a market as SMART Scheduling Links publishes it: free with the places left, or busy.
package struct PublishedWindow: Sendable, Equatable {
    package var slot: SlotReference
    package var end: Date
    /// Places left; 0 on a closed day.
    package var remaining: Int
    package var closed: Bool
    /// The newest of: the reservation row's change, the market's (settings or closures), the day entering the horizon.
    package var lastUpdated: Date

    package var isFree: Bool { !closed && remaining > 0 }
}

/// The pure rules of the published availability.
package enum SlotPublishing {
    /// Every window of the market's published horizon that has not started by `now`, free or busy.
    package static func windows(
        market: MarketID, schedule: MarketSchedule, now: Date, closedDays: Set<LocalDate>,
        reservations: [Date: WindowReservation], marketChangedAt: Date?
    ) -> [PublishedWindow] {
        guard let published = schedule.publishedDays(at: now) else { return [] }
        var result: [PublishedWindow] = []
        var day = published.lowerBound
        while day <= published.upperBound {
            let closed = closedDays.contains(day)
            let entered = enteredHorizon(day, zone: schedule.timeZone)
            for window in schedule.windows(on: day) where window.start > now {
                let reservation = reservations[window.start]
                let capacity = reservation?.capacity ?? schedule.capacityPerWindow
                let remaining = closed ? 0 : max(0, capacity - (reservation?.booked ?? 0))
                let changes = [entered, reservation?.updatedAt, marketChangedAt].compactMap { $0 }
                result.append(
                    PublishedWindow(
                        slot: SlotReference(market: market, start: window.start), end: window.end,
                        remaining: remaining, closed: closed, lastUpdated: changes.max() ?? now))
            }
            guard let next = day.adding(days: 1) else { break }
            day = next
        }
        return result
    }

    /// When `day` entered the published horizon: the market-local midnight ``MarketSchedule/horizonDays`` before it.
    package static func enteredHorizon(_ day: LocalDate, zone: TimeZone) -> Date? {
        day.adding(days: -MarketSchedule.horizonDays)?.interval(in: zone)?.start
    }

    /// When the published windows last changed by time alone: the start of the latest window that has begun by
    /// `now` (it left the file then), or the day's entry into the horizon, whichever is later.
    package static func lastExpiry(of schedule: MarketSchedule, now: Date) -> Date? {
        guard let today = LocalDate(now, in: schedule.timeZone), let yesterday = today.adding(days: -1) else {
            return nil
        }
        let started = (schedule.windows(on: yesterday) + schedule.windows(on: today)).map(\.start).filter { $0 <= now }
        let entered = today.adding(days: MarketSchedule.horizonDays).flatMap {
            enteredHorizon($0, zone: schedule.timeZone)
        }
        return (started + [entered].compactMap { $0 }).max()
    }
}
