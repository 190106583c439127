import Foundation
import Vocabulary

/// The market-local day a board shows, with the days around it.
package struct BoardDay: Sendable, Equatable {
    package var date: LocalDate
    package var timeZone: TimeZone

    package init(date: LocalDate, timeZone: TimeZone) {
        self.date = date
        self.timeZone = timeZone
    }

    /// The day a `date` query names (`YYYY-MM-DD`), or today in the market's zone when there is none; nil when the
    /// query is not a date.
    package init?(query: String?, now: Date, timeZone: TimeZone) {
        guard let query, !query.isEmpty else {
            guard let today = LocalDate(now, in: timeZone) else { return nil }
            self.init(date: today, timeZone: timeZone)
            return
        }
        guard let date = LocalDate(iso: query) else { return nil }
        self.init(date: date, timeZone: timeZone)
    }

    package var previous: BoardDay? { date.adding(days: -1).map { BoardDay(date: $0, timeZone: timeZone) } }
    package var next: BoardDay? { date.adding(days: 1).map { BoardDay(date: $0, timeZone: timeZone) } }

    /// Whether this is the market's today at `now`.
    package func isToday(at now: Date) -> Bool { LocalDate(now, in: timeZone) == date }

    /// The instant of `minutes` after this day's local midnight.
    package func instant(minutesAfterMidnight minutes: Int) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard
            let midnight = calendar.date(
                from: DateComponents(year: date.year, month: date.month, day: date.day))
        else { return nil }
        return calendar.date(byAdding: .minute, value: minutes, to: midnight)
    }

    /// An instant's wall-clock time in the market, "HH:MM".
    package func clock(_ instant: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: instant)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }

    /// "09:00–11:00" in the market's time.
    package func clockRange(_ interval: DateInterval) -> String { "\(clock(interval.start))–\(clock(interval.end))" }

    /// Parses "HH:MM" (00:00…23:59) into minutes after midnight.
    package static func minutes(_ clock: String) -> Int? {
        let parts = clock.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isASCII) }),
            let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m)
        else { return nil }
        return h * 60 + m
    }
}
