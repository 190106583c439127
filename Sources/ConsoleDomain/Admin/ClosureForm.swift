import Foundation

/// A market closure (a holiday) as typed.
package struct ClosureForm: Sendable, Equatable, Codable {
    package var date: String
    package var reason: String

    package init(date: String = "", reason: String = "") {
        self.date = date
        self.reason = reason
    }

    package enum Field {
        package static let date = "date"
        package static let reason = "reason"
        package static let all: Set<String> = [date, reason]
    }

    /// The closure, or every reason it cannot be added.
    package func validated() throws(FormErrors) -> Closure {
        var errors = FormErrors()
        let day = CalendarDay(iso: FormText.trimmed(date))
        if day == nil { errors.add(Field.date, "Enter the date as YYYY-MM-DD, such as 2026-12-25.") }
        let reason = FormText.line(
            FormText.trimmed(self.reason), Field.reason, label: "the reason, such as a holiday", max: 200,
            into: &errors)
        try errors.throwIfAny()
        return Closure(date: day!, reason: reason!)
    }
}

/// A day a market takes no bookings, and why.
package struct Closure: Sendable, Equatable {
    package var date: CalendarDay
    package var reason: String

    package init(date: CalendarDay, reason: String) {
        self.date = date
        self.reason = reason
    }
}

/// A market-local calendar day, `YYYY-MM-DD`.
package struct CalendarDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    package let year: Int
    package let month: Int
    package let day: Int

    package init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2,
            parts.allSatisfy({ $0.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1800...9999).contains(y),
            (1...12).contains(m), (1...Self.days(in: m, of: y)).contains(d)
        else { return nil }
        (year, month, day) = (y, m, d)
    }

    package var iso: String { String(format: "%04d-%02d-%02d", year, month, day) }
    package var description: String { iso }

    package static func < (a: Self, b: Self) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    static func days(in month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
