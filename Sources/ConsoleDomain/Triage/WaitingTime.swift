import Foundation

/// How long a request has waited, as a nurse reads it at a glance: "2 h 5 min", "1 d 3 h", "under 1 min".
package enum WaitingTime {
    package static func wording(since start: Date, now: Date) -> String {
        let minutes = max(0, Int(now.timeIntervalSince(start) / 60))
        let days = minutes / (24 * 60)
        let hours = minutes / 60 % 24
        let rest = minutes % 60
        if days > 0 { return hours > 0 ? "\(days) d \(hours) h" : "\(days) d" }
        if hours > 0 { return rest > 0 ? "\(hours) h \(rest) min" : "\(hours) h" }
        return minutes > 0 ? "\(minutes) min" : "under 1 min"
    }
}
