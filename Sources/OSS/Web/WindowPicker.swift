import Foundation
import OSSDomain
import Platform
import Vocabulary

/// The time windows a person picks from, as booking's window step and rescheduling show them: the next week of
/// a market's windows that still have room (longer for a booking link's later day), grouped by day in the market's
/// zone (`window-picker.leaf`).
enum WindowPicker {
    /// Station's windows of `market` from today through six days on (or through `through`'s day), in `zone`'s days.
    /// `visit`: where the visit would be and its service line, so that a window the care teams can no longer make is
    /// not offered.
    static func upcoming(
        _ station: any StationGateway, market: MarketID, zone: TimeZone, today: Date, through: Date? = nil,
        for visit: PlannedVisitPlace?
    ) async throws -> [OpenWindow] {
        let day = { (date: Date) in DateText.string(date, "yyyy-MM-dd", zone: zone, locale: "en_US_POSIX") }
        return try await station.windows(
            in: market, from: day(today), to: day(through ?? today.addingTimeInterval(6 * 86_400)), for: visit)
    }

    /// The windows offered (with room, and the care teams can make the visit), by day; `chosen` (a form value, `start|end`) is checked.
    static func days(_ windows: [OpenWindow], zone: TimeZone, chosen: String?) -> [StepPage.WindowDay] {
        let time = { (date: Date) in DateText.string(date, "h:mm a", zone: zone) }
        var days: [StepPage.WindowDay] = []
        for window in windows where window.isOffered {
            let value = Draft.TimeWindow.formValue(start: window.start, end: window.end)
            let option = StepPage.WindowOption(
                value: value, label: "\(time(window.start)) – \(time(window.end))",
                remaining: window.remaining, checked: chosen == value)
            let name = DateText.string(window.start, "EEEE, MMMM d", zone: zone)
            if days.last?.day == name {
                days[days.count - 1].options.append(option)
            } else {
                days.append(.init(day: name, options: [option]))
            }
        }
        return days
    }
}
