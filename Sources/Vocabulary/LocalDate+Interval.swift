import Foundation

extension LocalDate {
    /// The instants of this day in `zone`, from its midnight to the next (23 or 25 hours on a clock change).
    package func interval(in zone: TimeZone) -> DateInterval? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let next = adding(days: 1),
            let start = calendar.date(from: DateComponents(year: year, month: month, day: day)),
            let end = calendar.date(from: DateComponents(year: next.year, month: next.month, day: next.day)),
            end > start
        else { return nil }
        return DateInterval(start: start, end: end)
    }
}
