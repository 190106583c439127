import Foundation

/// A calendar date without a time or zone (a date of birth, a market-local day).
///
/// Every operation is total: a date outside ``years`` is never made (the initializers fail instead), so a
/// request naming year 10000 or year 1 gets a clear refusal, never a trap.
package struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    package private(set) var year: Int
    package private(set) var month: Int
    package private(set) var day: Int

    /// The years a date may have: four digits, so that every date prints as `YYYY-MM-DD`.
    package static let years = 1800...9999

    package init?(year: Int, month: Int, day: Int) {
        guard Self.years.contains(year), (1...12).contains(month), (1...Self.daysIn(month, of: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`.
    package init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The date of an instant in `zone`; nil when that date lies outside ``years``.
    package init?(_ instant: Date, in zone: TimeZone) {
        // Beyond about ±30,000 years Foundation's calendar arithmetic is not worth trusting; no date here gets near.
        guard instant.timeIntervalSince1970.magnitude < 1e12 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day], from: instant)
        guard let y = c.year, let m = c.month, let d = c.day else { return nil }
        self.init(year: y, month: m, day: d)
    }

    package var iso: String { String(format: "%04d-%02d-%02d", year, month, day) }
    package var description: String { iso }

    package static func < (a: LocalDate, b: LocalDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// The date `days` after this one (before it when negative); nil when that falls outside ``years``.
    package func adding(days: Int) -> LocalDate? {
        // Wider than the whole range, small enough never to overflow.
        guard days.magnitude <= 4_000_000 else { return nil }
        return LocalDate(dayNumber: dayNumber + days)
    }

    /// Whole days from this date to `other`.
    package func days(to other: LocalDate) -> Int { other.dayNumber - dayNumber }

    // Days since 1970-01-01 in the proleptic Gregorian calendar, in integers only (H. Hinnant's
    // days_from_civil and civil_from_days), so no calendar lookup can fail.

    package var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = y / 400 // years are positive here
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    init?(dayNumber: Int) {
        let z = dayNumber + 719_468
        guard z >= 0 else { return nil }
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let d = dayOfYear - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yearOfEra + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
