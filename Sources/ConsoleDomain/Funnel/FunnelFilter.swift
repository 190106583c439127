import Foundation
import Vocabulary

/// The funnel page's filters as the GET form sends them (ids and dates only): `since` a day (`YYYY-MM-DD`, from
/// 00:00 UTC, the weeks' time zone) and `partner` a partner id or `direct` (patients scheduling directly); empty
/// means all.
package struct FunnelFilter: Sendable, Equatable {
    package var since: LocalDate?
    package var partner: PartnerID?
    /// Patients scheduling directly only.
    package var direct = false
    /// The message beside a field the page could not read (the filter is then not applied).
    package var sinceError: String?
    package var partnerError: String?

    package init(since: String?, partner: String?) {
        let sinceText = since?.trimmingCharacters(in: .whitespaces) ?? ""
        if !sinceText.isEmpty {
            self.since = LocalDate(iso: sinceText)
            if self.since == nil { sinceError = "Enter a date as YYYY-MM-DD, for example 2026-11-02." }
        }
        let partnerText = partner?.trimmingCharacters(in: .whitespaces) ?? ""
        if partnerText == Self.direct {
            direct = true
        } else if !partnerText.isEmpty {
            self.partner = PartnerID(wire: partnerText)
            if self.partner == nil { partnerError = "Choose a partner from the list." }
        }
    }

    /// The `partner` value of the direct segment (the funnel's own name for it).
    package static let direct = "direct"

    /// The segment asked for: a partner id, `direct`, or nil for all.
    package var segment: String? { direct ? Self.direct : partner?.wire }

    /// Both fields could be read (or were left empty).
    package var isValid: Bool { sinceError == nil && partnerError == nil }

    /// The first instant counted: `since` at 00:00 UTC.
    package var sinceInstant: Date? {
        since.flatMap { day in
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = .gmt
            return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))
        }
    }
}

/// Words for the funnel's figures.
package enum FunnelWording {
    /// A screening outcome's name for people (the raw value when it is not one we know).
    package static func screeningOutcome(_ raw: String) -> String {
        switch ScreeningOutcome(rawValue: raw) {
        case .selfSchedule: "Self-scheduling allowed"
        case .nurseTriage: "Nurse must call"
        case .emergency: "Emergency"
        case nil: raw
        }
    }

    /// "Nov 2" and "the week of 2 November 2026" for the Monday a week starts (UTC).
    package static func week(_ start: Date) -> (label: String, spoken: String) {
        let label = Date.FormatStyle(
            date: .omitted, time: .omitted, locale: Locale(identifier: "en_US"), timeZone: .gmt
        )
        .month(.abbreviated).day()
        let spoken = Date.FormatStyle(
            date: .omitted, time: .omitted, locale: Locale(identifier: "en_GB"), timeZone: .gmt
        )
        .day().month(.wide).year()
        return (start.formatted(label), "the week of \(start.formatted(spoken))")
    }
}
