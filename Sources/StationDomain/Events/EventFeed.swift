import Vocabulary

/// Station's event feed (`GET /v1/events?after=`): every event in id order, which is commit order, so a
/// consumer that keeps the last id it handled follows it without missing or repeating one.
package enum EventFeed {
    package static let defaultLimit = 100
    package static let maximumLimit = 500

    /// The page size asked for, or nil when it is out of range.
    package static func limit(_ requested: Int?) -> Int? {
        guard let requested else { return defaultLimit }
        return (1...maximumLimit).contains(requested) ? requested : nil
    }

    package struct Page: Sendable, Equatable {
        package var events: [CareRequestEvent]
        /// The cursor of the next page: the last event's id, or the `after` asked for when there was none.
        package var nextAfter: Int64
        package var hasMore: Bool

        /// The page from `fetched`: the events after `after`, in id order, fetched one past `limit`.
        package init(after: Int64, limit: Int, fetched: [CareRequestEvent]) {
            events = Array(fetched.prefix(limit))
            nextAfter = events.last?.id ?? after
            hasMore = fetched.count > limit
        }
    }
}

extension TokenReach {
    /// Why the token may not read the event feed, which spans every partner; nil when it may. Only a machine
    /// client naming no partner (Express, OSS) or a staff user reads it: never a partner's or a patient's token.
    package var eventFeedRefusal: String? {
        if partnerID != nil { return "A token that names a partner cannot read every partner's events." }
        if tenant == .patients { return "A token of the patients tenant cannot read the event feed." }
        if isMachine || tenant == .staff { return nil }
        return "Only machine clients and staff read the event feed."
    }
}
