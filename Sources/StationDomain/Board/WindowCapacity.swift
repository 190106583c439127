import Foundation

/// A dispatcher's change of one window's places for its day (an ambulance is down): 0 closes the window, and
/// no change may leave fewer places than are booked.
package struct WindowCapacity: Sendable, Equatable {
    package static let range = 0...100

    package var window: DateInterval
    package var capacity: Int

    /// Checks the change against the market's schedule: the window must be one the schedule has.
    package init(windowStart: Date, capacity: Int, schedule: MarketSchedule) throws(FieldErrors) {
        var errors = FieldErrors()
        if !Self.range.contains(capacity) {
            errors.add("capacity", "must be between \(Self.range.lowerBound) and \(Self.range.upperBound)")
        }
        let window = Self.window(startingAt: windowStart, in: schedule)
        if window == nil {
            errors.add("window_start", "is not the start of one of this market's time windows")
        }
        try errors.throwIfAny()
        guard let window else { throw errors }
        self.window = window
        self.capacity = capacity
    }

    /// The schedule's window that starts exactly at `start`, if any.
    package static func window(startingAt start: Date, in schedule: MarketSchedule) -> DateInterval? {
        guard let day = LocalDate(start, in: schedule.timeZone) else { return nil }
        return schedule.windows(on: day).first { $0.start == start }
    }

    /// Whether the change keeps every booking: never fewer places than are booked.
    package func keeps(booked: Int) -> Bool { capacity >= booked }
}
