import Foundation

/// A FHIR `date` search parameter (`authored=ge2026-11-01`, `date=lt2026-12-01T08:00:00-07:00`) as the instants
/// it allows: at or after `from`, before `before`. Supported prefixes: `eq` (the default), `gt`, `ge`, `lt`, `le`.
///
/// A value stands for the whole range of its precision (a day, a month, a second), as FHIR's search rules say: `eq`
/// matches inside it, `gt` after its end, `lt` before its start. A value without a zone is read in UTC.
package struct FHIRDateRange: Equatable, Sendable {
    package var from: Date?
    package var before: Date?

    package init(from: Date? = nil, before: Date? = nil) {
        self.from = from
        self.before = before
    }

    package struct Invalid: Error, Equatable, Sendable {
        package var value: String

        package init(value: String) { self.value = value }
    }

    /// Every value given, all holding (FHIR's AND of repeated parameters); nil when none is given.
    package static func parse(_ values: [String]) throws(Invalid) -> FHIRDateRange? {
        guard !values.isEmpty else { return nil }
        var range = FHIRDateRange()
        for value in values {
            let one = try parse(value)
            if let from = one.from { range.from = max(range.from ?? from, from) }
            if let before = one.before { range.before = min(range.before ?? before, before) }
        }
        return range
    }

    package static func parse(_ value: String) throws(Invalid) -> FHIRDateRange {
        let prefixes = ["eq", "gt", "ge", "lt", "le"]
        let prefix = prefixes.first { value.hasPrefix($0) }
        let text = prefix.map { String(value.dropFirst($0.count)) } ?? value
        guard let (start, end) = interval(text) else { throw Invalid(value: value) }
        return switch prefix ?? "eq" {
        case "gt": FHIRDateRange(from: end)
        case "ge": FHIRDateRange(from: start)
        case "lt": FHIRDateRange(before: start)
        case "le": FHIRDateRange(before: end)
        default: FHIRDateRange(from: start, before: end)
        }
    }

    /// Whether nothing can match (`from` at or after `before`).
    package var isEmpty: Bool {
        guard let from, let before else { return false }
        return from >= before
    }

    package func contains(_ date: Date) -> Bool {
        (from.map { date >= $0 } ?? true) && (before.map { date < $0 } ?? true)
    }

    /// The instants a date or dateTime stands for: [start, end) of its precision.
    private static func interval(_ text: String) -> (Date, Date)? {
        let pattern =
            #/(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?)?)?/#
        guard let match = text.wholeMatch(of: pattern) else { return nil }
        let out = match.output
        var offset = 0
        if let zone = out.8, zone != "Z" {
            let sign = zone.first == "-" ? -1 : 1
            guard let hours = Int(zone.dropFirst().prefix(2)), let minutes = Int(zone.suffix(2)),
                hours <= 14, minutes < 60
            else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        guard let zone = TimeZone(secondsFromGMT: offset) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var parts = DateComponents()
        parts.year = Int(out.1)
        parts.month = out.2.flatMap { Int($0) } ?? 1
        parts.day = out.3.flatMap { Int($0) } ?? 1
        parts.hour = out.4.flatMap { Int($0) } ?? 0
        parts.minute = out.5.flatMap { Int($0) } ?? 0
        parts.second = out.6.flatMap { Int($0) } ?? 0
        guard (1...12).contains(parts.month!), (1...31).contains(parts.day!), parts.hour! < 24, parts.minute! < 60,
            parts.second! < 60, let start = calendar.date(from: parts),
            calendar.component(.day, from: start) == parts.day
        else { return nil }
        let fraction = out.7.flatMap { Double("0\($0)") } ?? 0
        let step: DateComponents =
            if out.2 == nil { DateComponents(year: 1) } else if out.3 == nil {
                DateComponents(month: 1)
            } else if out.4 == nil { DateComponents(day: 1) } else if out.6 == nil {
                DateComponents(minute: 1)
            } else { DateComponents(second: 1) }
        guard let end = calendar.date(byAdding: step, to: start) else { return nil }
        if out.7 != nil {
            let exact = start.addingTimeInterval(fraction)
            return (exact, exact.addingTimeInterval(0.001))
        }
        return (start, end)
    }
}
