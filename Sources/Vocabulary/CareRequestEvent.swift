import Foundation

/// One change to a care request as Station publishes it: in its event feed (`GET /v1/events`), pushed to its
/// subscribers (Express, OSS) and, through Express, to partner webhooks. Ids, statuses and times only: never a
/// name, a reason, a phone number or free text.
package struct CareRequestEvent: Codable, Sendable, Equatable {
    /// Station's event id: increasing in commit order, so a consumer that keeps the last id it saw misses nothing.
    package var id: Int64
    package var type: Kind
    package var careRequest: CareRequestID
    /// Nil for a patient's own (D2M) request.
    package var partner: PartnerID?
    /// Nil when the request was created.
    package var oldStatus: CareRequestStatus?
    package var newStatus: CareRequestStatus
    package var window: Interval?
    package var eta: Interval?
    package var at: Date

    package enum Kind: String, Codable, Sendable, CaseIterable {
        case created = "care_request.created"
        case statusChanged = "care_request.status_changed"
        case rescheduled = "care_request.rescheduled"
        case cancelled = "care_request.cancelled"
        /// Dispatch gave a scheduled visit a new arrival estimate (an accepted plan, a team running late); the
        /// status stays as it was.
        case etaChanged = "care_request.eta_changed"
    }

    package struct Interval: Codable, Sendable, Equatable {
        package var start: Date
        package var end: Date

        package init(start: Date, end: Date) {
            self.start = start
            self.end = end
        }
    }

    package init(
        id: Int64, type: Kind, careRequest: CareRequestID, partner: PartnerID?, oldStatus: CareRequestStatus?,
        newStatus: CareRequestStatus, window: Interval?, eta: Interval?, at: Date
    ) {
        self.id = id
        self.type = type
        self.careRequest = careRequest
        self.partner = partner
        self.oldStatus = oldStatus
        self.newStatus = newStatus
        self.window = window
        self.eta = eta
        self.at = at
    }

    enum CodingKeys: String, CodingKey {
        case id, type, at, window, eta
        case careRequest = "care_request_id"
        case partner = "partner_id"
        case oldStatus = "old_status"
        case newStatus = "new_status"
    }

    /// ISO 8601 in UTC with milliseconds and the `Z` (RFC 3339, as the generated OpenAPI servers read dates):
    /// `2026-09-22T15:00:00.000Z`. The zone must be asked for once the components are chosen.
    static let timeFormat = Date.ISO8601FormatStyle.iso8601.year().month().day()
        .time(includingFractionalSeconds: true).timeZone(separator: .omitted)

    /// The JSON every service writes and reads: snake_case keys, ISO 8601 times with milliseconds.
    package static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(timeFormat))
        }
        return encoder
    }()

    package static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = try? Date(text, strategy: timeFormat) { return date }
            if let date = try? Date(
                text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true))
            {
                return date
            }
            if let date = try? Date(text, strategy: .iso8601) { return date }
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not ISO 8601"))
        }
        return decoder
    }()
}

/// The Standard Webhooks envelope around an event, as it is pushed to a subscriber or a partner's endpoint:
/// `{"type": …, "timestamp": …, "data": <CareRequestEvent>}`. The `webhook-id` header is ``messageID``.
package struct CareRequestEventEnvelope: Codable, Sendable, Equatable {
    package var type: CareRequestEvent.Kind
    package var timestamp: Date
    package var data: CareRequestEvent

    package init(_ event: CareRequestEvent) {
        type = event.type
        timestamp = event.at
        data = event
    }

    /// The same for every delivery of this event to every receiver, so a receiver can drop repeats.
    package var messageID: String { "evt_\(data.id)" }
}
