import Foundation

/// One message of Segment's tracking spec (`track`, `identify`, `group`), as the HTTP tracking API's `/v1/batch`
/// takes it and as the embedded default writes it, one JSON object per line. Ids and known values only: the
/// properties and traits are built by ``TrackedEvent`` and ``AnalyticsTraits``, never from free text.
package struct AnalyticsMessage: Codable, Sendable, Equatable {
    package enum Kind: String, Codable, Sendable { case track, identify, group }

    package var type: Kind
    /// `track` only: an "Object Action" name from ``AnalyticsEventName``.
    package var event: String?
    /// The signed-in person's id (an Express user, an OSS patient account or a staff member), else nil.
    package var userId: String?
    /// Set when there is no `userId` (a visitor before sign-in).
    package var anonymousId: String?
    /// `group` only: the partner id.
    package var groupId: String?
    /// `track` only. Always holds `partner_id` when the action is for a partner.
    package var properties: [String: AnalyticsValue]?
    /// `identify` and `group` only.
    package var traits: [String: AnalyticsValue]?
    package var context: AnalyticsContext
    /// A UUID, unique per message: a collector de-duplicates retried batches by it.
    package var messageId: String
    package var timestamp: Date

    package init(
        type: Kind, event: String? = nil, userId: String? = nil, anonymousId: String? = nil, groupId: String? = nil,
        properties: [String: AnalyticsValue]? = nil, traits: [String: AnalyticsValue]? = nil,
        context: AnalyticsContext, messageId: String, timestamp: Date
    ) {
        self.type = type
        self.event = event
        self.userId = userId
        self.anonymousId = anonymousId
        self.groupId = groupId
        self.properties = properties
        self.traits = traits
        self.context = context
        self.messageId = messageId
        self.timestamp = timestamp
    }

    /// The partner the message is about (`properties.partner_id`, `traits.partner_id` or a group's id).
    package var partnerID: String? {
        properties?[AnalyticsProperty.partnerID.rawValue]?.text ?? traits?[AnalyticsProperty.partnerID.rawValue]?.text
            ?? groupId
    }

    /// A `track` message's property as text.
    package func property(_ key: AnalyticsProperty) -> String? { properties?[key.rawValue]?.text }
}

/// `context`: which app sent the message, and the library (Segment's convention).
package struct AnalyticsContext: Codable, Sendable, Equatable {
    package struct App: Codable, Sendable, Equatable {
        package var name: String
    }
    package struct Library: Codable, Sendable, Equatable {
        package var name: String
        package var version: String
    }

    package var app: App
    package var library: Library

    package init(app: AnalyticsApp) {
        self.app = App(name: app.rawValue)
        library = Library(name: "selfsched", version: "1")
    }
}

/// The apps that send analytics.
package enum AnalyticsApp: String, Codable, Sendable, CaseIterable {
    case express, oss, console
}

/// A property or trait value: text from a known set, an id, a count or a flag, never free text.
package enum AnalyticsValue: Codable, Sendable, Equatable, Hashable {
    case string(String)
    case int(Int)
    case bool(Bool)

    package var text: String? {
        switch self {
        case .string(let value): value
        case .int(let value): String(value)
        case .bool(let value): String(value)
        }
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        }
    }
}

extension AnalyticsMessage {
    /// Segment's JSON: ISO 8601 timestamps in UTC with milliseconds (`2026-12-01T03:01:34.783Z`), sorted keys (so a
    /// line reads the same every time).
    package static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        }
        return encoder
    }

    /// Reads what ``makeEncoder()`` writes, and timestamps without fractional seconds.
    package static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = try? Date(
                text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            {
                return date
            }
            if let date = try? Date(text, strategy: .iso8601) { return date }
            // Lines written before timestamps said their zone (they were UTC).
            if let date = try? Date(
                text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true))
            {
                return date
            }
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 time: \(text)"))
        }
        return decoder
    }
}
