import Fluent
import Foundation
import Vocabulary

/// A partner event Express received, kept a few days for the daily digests (ids, statuses and times only,
/// as Station sent them).
final class NotificationEventModel: Model, @unchecked Sendable {
    static let schema = "notification_events"
    /// Station's event id.
    @ID(custom: "id", generatedBy: .user) var id: Int64?
    @Field(key: "partner_id") var partnerID: UUID
    @Field(key: "care_request_id") var careRequestID: UUID
    @Field(key: "received_at") var receivedAt: Date
    /// The event as ``CareRequestEvent/encoder`` writes it.
    @Field(key: "event") var event: String
    init() {}

    var decoded: CareRequestEvent? {
        try? CareRequestEvent.decoder.decode(CareRequestEvent.self, from: Data(event.utf8))
    }
}

/// A daily digest handled for one user and local date (sent, or found empty): at most once each.
final class NotificationDigestModel: Model, @unchecked Sendable {
    static let schema = "notification_digests"
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    /// The local day it covers, YYYY-MM-DD (``DigestSchedule/Period/date``).
    @Field(key: "date") var date: String
    /// How many care requests it listed; 0 when nothing changed and no email went out.
    @Field(key: "events") var events: Int
    @Field(key: "handled_at") var handledAt: Date
    init() {}

    init(user: UserID, date: String, events: Int, at: Date) {
        id = UUID()
        userID = user.rawValue
        self.date = date
        self.events = events
        handledAt = at
    }
}
