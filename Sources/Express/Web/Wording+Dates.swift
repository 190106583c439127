import ExpressDomain
import Foundation
import Platform

extension Wording {
    static func exact(_ date: Date, zone: TimeZone) -> String {
        DateText.string(date, "MMM d, yyyy 'at' h:mm a zzz", zone: zone)
    }

    static func window(_ start: Date, _ end: Date, zone: TimeZone) -> String {
        let time = { (date: Date) in DateText.string(date, "h:mm a", zone: zone) }
        return
            "\(DateText.string(start, "EEE, MMM d", zone: zone)), \(time(start))–\(time(end)) \(DateText.string(start, "zzz", zone: zone))"
    }
}
