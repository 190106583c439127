import Foundation

/// A market's daily operating hours cut into bookable time windows of equal length.
package struct MarketSchedule: Sendable, Equatable {
    package var timeZone: TimeZone
    /// Minutes after local midnight.
    package var opensAt: Int
    package var closesAt: Int
    package var windowMinutes: Int
    package var capacityPerWindow: Int

    package init(timeZone: TimeZone, opensAt: Int, closesAt: Int, windowMinutes: Int, capacityPerWindow: Int) {
        self.timeZone = timeZone
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.windowMinutes = windowMinutes
        self.capacityPerWindow = capacityPerWindow
    }

    /// Parses "HH:MM" into minutes after midnight.
    package static func minutes(_ clock: String) -> Int? {
        let parts = clock.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0..<60).contains(m)
        else { return nil }
        return h * 60 + m
    }

    package static func clock(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }

    /// How many days after today (market-local) a market publishes its windows: today and the next two weeks.
    package static let horizonDays = 14

    /// The market-local days whose windows are published at `now`: today through ``horizonDays`` later.
    package func publishedDays(at now: Date) -> ClosedRange<LocalDate>? {
        guard let today = LocalDate(now, in: timeZone), let last = today.adding(days: Self.horizonDays) else {
            return nil
        }
        return today...last
    }

    /// Every window of a market-local day, in order.
    package func windows(on day: LocalDate) -> [DateInterval] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard (1...1440).contains(windowMinutes),
            let midnight = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))
        else { return [] }
        return stride(from: opensAt, through: closesAt - windowMinutes, by: windowMinutes).compactMap { start in
            guard let begin = calendar.date(byAdding: .minute, value: start, to: midnight) else { return nil }
            return DateInterval(start: begin, duration: TimeInterval(windowMinutes * 60))
        }
    }

    /// Every published window from `from` to `to` (inclusive, market-local) that has not started by `now`.
    package func windows(from: LocalDate, to: LocalDate, notBefore now: Date) -> [DateInterval] {
        guard let published = publishedDays(at: now) else { return [] }
        var day = max(from, published.lowerBound)
        let last = min(to, published.upperBound)
        var result: [DateInterval] = []
        while day <= last {
            result += windows(on: day).filter { $0.start > now }
            guard let next = day.adding(days: 1) else { break }
            day = next
        }
        return result
    }

    /// Whether `window` is exactly one of this market's published windows and still ahead of `now`.
    package func isBookable(_ window: DateInterval, now: Date) -> Bool {
        guard window.start > now, let day = LocalDate(window.start, in: timeZone),
            publishedDays(at: now)?.contains(day) == true
        else { return false }
        return windows(on: day).contains(window)
    }
}
