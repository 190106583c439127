import Foundation

/// A care team of a market (a vehicle and its clinicians), as an operations admin sets it: its name, the base it
/// starts and ends its day at (one of the market's ZIP codes), the service lines it delivers and its shift on each
/// day of the week it works. The dispatch planner plans the team's day from these.
package struct CareTeamSettings: Sendable, Equatable, Codable {
    package var name: String
    /// One of the market's ZIP codes.
    package var baseZip: String
    /// Service line codes, each at most once.
    package var serviceLines: [String]
    /// At most one shift per day of the week, Monday first once validated.
    package var shifts: [Shift]

    package init(name: String, baseZip: String, serviceLines: [String], shifts: [Shift]) {
        self.name = name
        self.baseZip = baseZip
        self.serviceLines = serviceLines
        self.shifts = shifts
    }

    /// The team's working hours on one day of the week, market-local "HH:MM".
    package struct Shift: Sendable, Equatable, Codable {
        package var day: Weekday
        package var startsAt: String
        package var endsAt: String

        package init(day: Weekday, startsAt: String, endsAt: String) {
            self.day = day
            self.startsAt = startsAt
            self.endsAt = endsAt
        }

        /// Minutes after midnight of the start and the end (valid once the settings are validated).
        package var minutes: ClosedRange<Int>? {
            guard let start = MarketSettings.clockMinutes(startsAt, latest: 23 * 60 + 59),
                let end = MarketSettings.clockMinutes(endsAt, latest: 24 * 60), end > start
            else { return nil }
            return start...end
        }
    }

    /// A day of the week, as the API names it.
    package enum Weekday: String, Sendable, CaseIterable, Codable, Comparable {
        case monday, tuesday, wednesday, thursday, friday, saturday, sunday

        /// The day of the week of a market-local date.
        package init(_ date: LocalDate) {
            // 2024-01-01 was a Monday.
            let monday = LocalDate(year: 2024, month: 1, day: 1) ?? date
            self = Self.allCases[((monday.days(to: date) % 7) + 7) % 7]
        }

        package static func < (lhs: Weekday, rhs: Weekday) -> Bool {
            (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
        }
    }

    package static let nameLimit = 80

    /// The shift on `day`, if the team works then.
    package func shift(on day: Weekday) -> Shift? { shifts.first { $0.day == day } }

    /// The settings as stored (name trimmed, shifts Monday first), or every bad field at once. `marketZips` are
    /// the ZIP codes of the team's market; `serviceLineCodes` every service line code there is.
    package func validated(marketZips: [String], serviceLineCodes: Set<String>) throws(FieldErrors)
        -> CareTeamSettings
    {
        var errors = FieldErrors()
        var clean = self
        clean.name = name.trimmingCharacters(in: .whitespaces)
        clean.baseZip = baseZip.trimmingCharacters(in: .whitespaces)
        Validate.required(clean.name, "name", into: &errors)
        Validate.text(clean.name, "name", max: Self.nameLimit, into: &errors)
        if clean.baseZip.count != 5 || SearchKey.digits(clean.baseZip).count != 5 {
            errors.add("base_zip", "must be a 5-digit ZIP code")
        } else if !marketZips.contains(clean.baseZip) {
            errors.add("base_zip", "must be one of the market's ZIP codes (\(marketZips.joined(separator: ", ")))")
        }
        if serviceLines.isEmpty { errors.add("service_lines", "must name at least one service line") }
        var lines = Set<String>()
        for (index, code) in serviceLines.enumerated() {
            if !serviceLineCodes.contains(code) {
                errors.add("service_lines[\(index)]", "is not a service line code")
            } else if !lines.insert(code).inserted {
                errors.add("service_lines[\(index)]", "is listed twice")
            }
        }
        if shifts.isEmpty { errors.add("shifts", "must give the team at least one day's shift") }
        var days = Set<Weekday>()
        for (index, shift) in shifts.enumerated() {
            if !days.insert(shift.day).inserted { errors.add("shifts[\(index)].day", "has a shift already") }
            let start = MarketSettings.clockMinutes(shift.startsAt, latest: 23 * 60 + 59)
            let end = MarketSettings.clockMinutes(shift.endsAt, latest: 24 * 60)
            if start == nil {
                errors.add("shifts[\(index)].starts_at", "must be a time of day as HH:MM, such as 07:00")
            }
            if end == nil {
                errors.add("shifts[\(index)].ends_at", "must be a time of day as HH:MM, such as 18:00 (24:00 at most)")
            }
            if let start, let end, end <= start { errors.add("shifts[\(index)].ends_at", "must be after starts_at") }
        }
        try errors.throwIfAny()
        clean.shifts.sort { $0.day < $1.day }
        return clean
    }
}
