import Foundation
import Tagged
import Vocabulary

package enum WebhookEndpointTag {}
/// A partner's registered webhook endpoint in Express.
package typealias WebhookEndpointID = Tagged<WebhookEndpointTag, UUID>

/// Where a partner system hears about its care requests: a URL, the event types it chose, and the secret its
/// deliveries are signed with (Standard Webhooks).
package struct WebhookEndpoint: Sendable, Equatable {
    package typealias ID = WebhookEndpointID

    package var id: ID
    package var partner: PartnerID
    package var url: String
    package var description: String
    package var eventTypes: Set<CareRequestEvent.Kind>
    package var enabled: Bool
    /// Why it was disabled: by an admin, or after failing for ``WebhookHealth/disableAfter``.
    package var disabledReason: String?
    package var createdBy: UserID
    package var createdAt: Date
    package var secrets: WebhookSigningSecrets
    package var health: WebhookHealth

    package init(
        id: ID, partner: PartnerID, url: String, description: String, eventTypes: Set<CareRequestEvent.Kind>,
        enabled: Bool = true, disabledReason: String? = nil, createdBy: UserID, createdAt: Date,
        secrets: WebhookSigningSecrets, health: WebhookHealth = WebhookHealth()
    ) {
        self.id = id
        self.partner = partner
        self.url = url
        self.description = description
        self.eventTypes = eventTypes
        self.enabled = enabled
        self.disabledReason = disabledReason
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.secrets = secrets
        self.health = health
    }

    /// Whether `event` is delivered to this endpoint: its partner's, of a type it chose, while enabled.
    package func wants(_ event: CareRequestEvent) -> Bool {
        enabled && event.partner == partner && eventTypes.contains(event.type)
    }

    /// The outbox destination of this endpoint's deliveries.
    package var destination: String { Self.destination(id) }

    package static let destinationPrefix = "webhook:"

    package static func destination(_ id: ID) -> String { destinationPrefix + id.wire }

    /// The endpoint a delivery's destination names, if it names one.
    package static func endpoint(destination: String) -> ID? {
        guard destination.hasPrefix(destinationPrefix) else { return nil }
        return ID(wire: String(destination.dropFirst(destinationPrefix.count)))
    }
}

/// Event types as an admin or a partner system chooses them: at least one, each one Station publishes.
package enum WebhookEventTypes {
    package enum Problem: Error, Equatable {
        case none
        case unknown(String)
    }

    package static func parse(_ names: [String]) throws(Problem) -> Set<CareRequestEvent.Kind> {
        var kinds: Set<CareRequestEvent.Kind> = []
        for name in names {
            guard let kind = CareRequestEvent.Kind(rawValue: name) else { throw .unknown(name) }
            kinds.insert(kind)
        }
        guard !kinds.isEmpty else { throw .none }
        return kinds
    }

    /// In the order Station lists them, so pages and responses read the same every time.
    package static func sorted(_ kinds: Set<CareRequestEvent.Kind>) -> [CareRequestEvent.Kind] {
        CareRequestEvent.Kind.allCases.filter(kinds.contains)
    }
}

/// An endpoint's signing secrets: the current one and, for a day after a rotation, the previous one, so a partner
/// system can switch over without dropping a delivery (each delivery carries a signature by each).
package struct WebhookSigningSecrets: Sendable, Equatable {
    package var current: String
    package var previous: String?
    package var previousExpiresAt: Date?

    package static let overlap: TimeInterval = 24 * 3600

    package init(current: String, previous: String? = nil, previousExpiresAt: Date? = nil) {
        self.current = current
        self.previous = previous
        self.previousExpiresAt = previousExpiresAt
    }

    /// The secrets that sign a delivery at `now`: the current one first.
    package func signing(at now: Date) -> [String] {
        guard let previous, let previousExpiresAt, now < previousExpiresAt else { return [current] }
        return [current, previous]
    }

    /// A new current secret; the one it replaces keeps signing for ``overlap``.
    package mutating func rotate(to secret: String, at now: Date) {
        previous = current
        previousExpiresAt = now.addingTimeInterval(Self.overlap)
        current = secret
    }

    /// A new secret as Standard Webhooks writes it: `whsec_` and the base64 of 32 random bytes.
    package static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    package static func generate(using generator: inout some RandomNumberGenerator) -> String {
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "whsec_" + Data(bytes).base64EncodedString()
    }
}

/// Whether an endpoint keeps failing: it is disabled once every delivery to it has failed for three days.
package struct WebhookHealth: Sendable, Equatable {
    /// When the current run of failures began; nil while deliveries succeed.
    package var failingSince: Date?

    package static let disableAfter: TimeInterval = 72 * 3600

    package init(failingSince: Date? = nil) { self.failingSince = failingSince }

    package enum Verdict: Equatable {
        case keepTrying
        case disable
    }

    package mutating func recordSuccess() { failingSince = nil }

    package mutating func recordFailure(at now: Date) -> Verdict {
        let since = failingSince ?? now
        failingSince = since
        return now.timeIntervalSince(since) >= Self.disableAfter ? .disable : .keepTrying
    }
}

extension WebhookEndpoint {
    /// Only a partner's admins register, change and watch its webhook endpoints (an endpoint receives every
    /// chosen event of the partner, and its secret proves deliveries are ours).
    package static func mayManage(_ user: ActingUser) -> Bool { user.role == .admin }
}
