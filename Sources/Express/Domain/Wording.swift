import Foundation
import Platform

/// How dates and statuses read to a person.
enum Wording {
    static func relative(_ date: Date, now: Date) -> String {
        let seconds = now.timeIntervalSince(date)
        if seconds < 0 { return "in the future" }
        if seconds < 60 { return "just now" }
        if seconds < 3600 { return plural(Int(seconds / 60), "minute") + " ago" }
        if seconds < 86_400 { return plural(Int(seconds / 3600), "hour") + " ago" }
        if seconds < 30 * 86_400 { return plural(Int(seconds / 86_400), "day") + " ago" }
        return plural(Int(seconds / (30 * 86_400)), "month") + " ago"
    }

    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    static func exact(_ date: Date, zone: TimeZone) -> String {
        DateText.string(date, "MMM d, yyyy 'at' h:mm a zzz", zone: zone)
    }

    static func window(_ start: Date, _ end: Date, zone: TimeZone) -> String {
        let time = { (date: Date) in DateText.string(date, "h:mm a", zone: zone) }
        return "\(DateText.string(start, "EEE, MMM d", zone: zone)), \(time(start))–\(time(end)) \(DateText.string(start, "zzz", zone: zone))"
    }

    static func status(_ raw: String) -> String {
        switch raw {
        case "pending_triage": "Waiting for a nurse"
        case "requested": "Requested"
        case "accepted": "Accepted"
        case "scheduled": "Scheduled"
        case "on_route": "On the way"
        case "on_scene": "With the patient"
        case "complete": "Complete"
        case "archived": "Archived"
        default: raw
        }
    }

    static func source(_ raw: String) -> String {
        switch raw {
        case "express": "Express"
        case "oss_partner": "Online (partner)"
        case "oss_d2m": "Online (patient)"
        case "phone": "Phone"
        default: raw
        }
    }
}
