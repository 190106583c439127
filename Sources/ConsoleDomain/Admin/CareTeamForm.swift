import Foundation

/// A care team as typed on its page: a name, a base (one of the market's ZIP codes), the service lines it delivers
/// (checkboxes) and, for each day of the week, a start and an end (both empty: the team does not work that day).
/// Station checks the times, the base and the codes again and has the last word.
package struct CareTeamForm: Sendable, Equatable, Codable {
    package var name: String
    package var baseZip: String
    package var serviceLines: [String]
    /// Seven, Monday first.
    package var days: [Day]

    package struct Day: Sendable, Equatable, Codable {
        package var day: String
        package var label: String
        package var startsAt: String
        package var endsAt: String

        package var startsField: String { "\(day)_starts_at" }
        package var endsField: String { "\(day)_ends_at" }
    }

    /// The days of the week as Station names them, with their labels.
    package static let week: [(day: String, label: String)] = [
        ("monday", "Monday"), ("tuesday", "Tuesday"), ("wednesday", "Wednesday"), ("thursday", "Thursday"),
        ("friday", "Friday"), ("saturday", "Saturday"), ("sunday", "Sunday"),
    ]

    /// `hours` by day name, (start, end); a day not named is off.
    package init(
        name: String = "", baseZip: String = "", serviceLines: [String] = [], hours: [String: (String, String)] = [:]
    ) {
        self.name = name
        self.baseZip = baseZip
        self.serviceLines = serviceLines
        days = Self.week.map {
            Day(day: $0.day, label: $0.label, startsAt: hours[$0.day]?.0 ?? "", endsAt: hours[$0.day]?.1 ?? "")
        }
    }

    package enum Field {
        package static let name = "name"
        package static let baseZip = "base_zip"
        package static let serviceLines = "service_lines"
        package static let shifts = "shifts"
        package static var all: Set<String> {
            Set([name, baseZip, serviceLines, shifts] + week.flatMap { ["\($0.day)_starts_at", "\($0.day)_ends_at"] })
        }
    }

    /// The team, or every reason it cannot be saved yet.
    package func validated() throws(FormErrors) -> CareTeam {
        var errors = FormErrors()
        let name = FormText.line(
            FormText.trimmed(self.name), Field.name, label: "the team's name", max: 80, into: &errors)
        let base = FormText.trimmed(baseZip)
        if base.isEmpty { errors.add(Field.baseZip, "Choose the ZIP code the team starts and ends its day at.") }
        if serviceLines.isEmpty {
            errors.add(Field.serviceLines, "Choose at least one service line the team delivers.")
        }
        var shifts: [CareTeam.Shift] = []
        for day in days {
            let starts = FormText.trimmed(day.startsAt)
            let ends = FormText.trimmed(day.endsAt)
            switch (starts.isEmpty, ends.isEmpty) {
            case (true, true): continue
            case (true, false):
                errors.add(day.startsField, "Enter when the shift starts on \(day.label), or clear its end.")
            case (false, true):
                errors.add(day.endsField, "Enter when the shift ends on \(day.label), or clear its start.")
            case (false, false):
                // Strict HH:MM, as Station takes them.
                let start = starts.utf8.count == 5 ? ClockTime(starts).flatMap { $0.minutes < 24 * 60 ? $0 : nil } : nil
                let end = ends.utf8.count == 5 ? ClockTime(ends) : nil
                if start == nil {
                    errors.add(day.startsField, "Enter the start on \(day.label) as HH:MM, such as 07:00.")
                }
                if end == nil {
                    errors.add(day.endsField, "Enter the end on \(day.label) as HH:MM, such as 17:00 (24:00 at most).")
                }
                if let start, let end, end <= start {
                    errors.add(day.endsField, "The shift on \(day.label) must end after it starts.")
                }
                shifts.append(.init(day: day.day, startsAt: starts, endsAt: ends))
            }
        }
        if shifts.isEmpty, errors.isEmpty { errors.add(Field.shifts, "Give the team a shift on at least one day.") }
        try errors.throwIfAny()
        guard let name else { throw errors }
        return CareTeam(name: name, baseZip: base, serviceLines: serviceLines, shifts: shifts)
    }

    /// Station's paths for the shifts sent (`shifts[2].ends_at`) renamed to this form's fields of the same day.
    package func renamedShiftPaths(for team: CareTeam) -> [String: String] {
        var renamed: [String: String] = [:]
        for (index, shift) in team.shifts.enumerated() {
            renamed["shifts[\(index)].starts_at"] = "\(shift.day)_starts_at"
            renamed["shifts[\(index)].day"] = "\(shift.day)_starts_at"
            renamed["shifts[\(index)].ends_at"] = "\(shift.day)_ends_at"
        }
        return renamed
    }
}

/// A care team as Console sends it to Station.
package struct CareTeam: Sendable, Equatable {
    package var name: String
    package var baseZip: String
    package var serviceLines: [String]
    package var shifts: [Shift]

    package struct Shift: Sendable, Equatable {
        package var day: String
        package var startsAt: String
        package var endsAt: String
    }
}
