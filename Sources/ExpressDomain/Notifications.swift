import Foundation
import Vocabulary

/// Which care requests' changes a partner user is emailed about: their profile's choice.
package enum NotificationScope: String, Codable, Sendable, CaseIterable {
    case none
    /// The requests this user created (Express's `care_request_users`).
    case createdByMe = "created_by_me"
    /// Every request of the user's partner.
    case partner
}

/// How the chosen emails arrive: one per change as it happens, or instead one summary a day
/// (``DigestSchedule``). A summary replaces the single emails, so nobody reads the same change twice.
package enum NotificationDelivery: String, Codable, Sendable, CaseIterable {
    case immediate
    case dailyDigest = "daily_digest"
}

/// A partner user as the notification rule sees them.
package struct NotificationSubscriber: Sendable, Equatable {
    package var id: UserID
    package var partner: PartnerID
    package var active: Bool
    package var scope: NotificationScope
    package var delivery: NotificationDelivery

    package init(
        id: UserID, partner: PartnerID, active: Bool, scope: NotificationScope,
        delivery: NotificationDelivery = .immediate
    ) {
        self.id = id
        self.partner = partner
        self.active = active
        self.scope = scope
        self.delivery = delivery
    }
}

/// Who is told about a care request's event. `creator` is the Express user who created the request, when
/// Express knows it.
package enum NotificationRule {
    /// Whether `subscriber` hears of `event` at all (at once or in the digest). Only active users of the
    /// request's own partner; a patient's own (D2M) request tells no partner user. A new request is news for
    /// "all of my partner's requests", but not for the person who just created it.
    package static func tells(_ subscriber: NotificationSubscriber, about event: CareRequestEvent, creator: UserID?)
        -> Bool
    {
        guard subscriber.active, let partner = event.partner, partner == subscriber.partner else { return false }
        let isCreator = creator == subscriber.id
        switch subscriber.scope {
        case .none: return false
        case .createdByMe: return isCreator && event.type != .created
        case .partner: return !(isCreator && event.type == .created)
        }
    }

    /// The subscribers emailed about `event` as it happens.
    package static func immediateRecipients(
        of event: CareRequestEvent, creator: UserID?, among subscribers: [NotificationSubscriber]
    ) -> [UserID] {
        subscribers.filter { $0.delivery == .immediate && tells($0, about: event, creator: creator) }.map(\.id)
    }

    /// What `subscriber`'s digest says: of `events` (each with its request's creator), the last one of each care
    /// request they are told about, in the order the requests last changed.
    package static func digest(
        for subscriber: NotificationSubscriber, of events: [(event: CareRequestEvent, creator: UserID?)]
    ) -> [CareRequestEvent] {
        guard subscriber.delivery == .dailyDigest else { return [] }
        var latest: [CareRequestID: CareRequestEvent] = [:]
        for (event, creator) in events where tells(subscriber, about: event, creator: creator) {
            if let seen = latest[event.careRequest], seen.id > event.id { continue }
            latest[event.careRequest] = event
        }
        return latest.values.sorted { $0.id < $1.id }
    }
}

/// When a daily digest goes out: once a day per user, at ``localHour`` in the user's time zone, about the
/// previous local day (midnight to midnight), so every event belongs to exactly one digest.
package enum DigestSchedule {
    package static let localHour = 7

    /// The day one digest covers; `date` (YYYY-MM-DD, local) names it, once per user.
    package struct Period: Sendable, Equatable {
        package var date: String
        package var start: Date
        package var end: Date
    }

    /// The digest due at `now` for a user in `zone`: yesterday's, once the local clock has passed
    /// ``localHour``; nil before then.
    package static func due(at now: Date, in zone: TimeZone, hour: Int = localHour) -> Period? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard calendar.component(.hour, from: now) >= hour else { return nil }
        let end = calendar.startOfDay(for: now)
        guard let start = calendar.date(byAdding: .day, value: -1, to: end) else { return nil }
        let day = calendar.dateComponents([.year, .month, .day], from: start)
        let date = String(format: "%04d-%02d-%02d", day.year ?? 0, day.month ?? 0, day.day ?? 0)
        return Period(date: date, start: start, end: end)
    }
}
