import Foundation
import Vocabulary

/// What the window step makes of the window a booking link asked for (``Draft/Answers/wantedSlot``).
package enum LinkedSlot: Equatable, Sendable {
    /// Still offered with room in the draft's market: preselected.
    case selected(DateInterval)
    /// Full, closed or gone: the person picks another window.
    case unavailable
    /// The address is visited by another market than the link's.
    case otherArea

    /// Nil when the draft came from no link, has no market yet, or the person already chose another window (their
    /// choice stands). `offered` are the market's windows that still have room.
    package init?(wanted: SlotReference?, market: MarketID?, chosen: Draft.TimeWindow?, offered: [DateInterval]) {
        guard let wanted, let market else { return nil }
        if let chosen, Self.seconds(chosen.start) != Self.seconds(wanted.start) { return nil }
        guard market == wanted.market else {
            self = .otherArea
            return
        }
        if let window = offered.first(where: { Self.seconds($0.start) == Self.seconds(wanted.start) }) {
            self = .selected(window)
        } else {
            self = .unavailable
        }
    }

    /// What the window step tells the person, times in the market's zone.
    package func note(zone: TimeZone) -> String {
        switch self {
        case .selected(let window):
            "The time from your link is selected: "
                + CalendarText.string(window.start, "EEE, MMM d, h:mm a", zone: zone) + " – "
                + CalendarText.string(window.end, "h:mm a", zone: zone) + "."
        case .unavailable: "The time from your link is no longer available. Choose another time."
        case .otherArea: "The time from your link is in another area than this address. Choose a time below."
        }
    }

    /// Markets publish their windows for today and the next 14 days.
    package static let publishedDays = 14

    /// A moment on the last day (in the market's `zone`) the window picker shows: a week (today and six days on),
    /// or through the link's day when it is later and in `market`, never past the days markets publish.
    package static func pickerEnd(today: Date, wanted: SlotReference?, market: MarketID, zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let week = calendar.date(byAdding: .day, value: 6, to: today) ?? today
        guard let wanted, wanted.market == market,
            let last = calendar.date(byAdding: .day, value: publishedDays, to: today)
        else { return week }
        return min(max(week, wanted.start), last)
    }

    private static func seconds(_ date: Date) -> Int { Int(date.timeIntervalSince1970.rounded(.down)) }
}
