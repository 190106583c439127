import Foundation
import Vocabulary

/// How dates, statuses and people read to a person. (Dates in a time zone are formatted where the formatters
/// live: Express's `Wording+Dates.swift`.)
package enum Wording {
    package static func relative(_ date: Date, now: Date) -> String {
        let seconds = now.timeIntervalSince(date)
        if seconds < 0 { return "in the future" }
        if seconds < 60 { return "just now" }
        if seconds < 3600 { return plural(Int(seconds / 60), "minute") + " ago" }
        if seconds < 86_400 { return plural(Int(seconds / 3600), "hour") + " ago" }
        if seconds < 30 * 86_400 { return plural(Int(seconds / 86_400), "day") + " ago" }
        return plural(Int(seconds / (30 * 86_400)), "month") + " ago"
    }

    package static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    /// A care request's status (Station's wire name) in words.
    package static func status(_ raw: String) -> String {
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

    /// Where a care request came from (Station's wire name) in words.
    package static func source(_ raw: String) -> String {
        switch raw {
        case "express": "Express"
        case "oss_partner": "Online (partner)"
        case "oss_d2m": "Online (patient)"
        case "phone": "Phone"
        default: raw
        }
    }

    /// Who created a care request, as `viewer` reads it: "You", the creator's name, or a dash when unknown.
    package static func createdBy(_ creator: (id: UserID, name: String)?, viewer: UserID) -> String {
        guard let creator else { return "—" }
        return creator.id == viewer ? "You" : creator.name
    }
}
