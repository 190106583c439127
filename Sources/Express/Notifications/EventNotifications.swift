import ExpressDomain
import Fluent
import Foundation
import Platform
import SQLKit
import Vocabulary

extension ExpressService {
    /// Queues the emails partner users asked for about `event` (their notification preference), in the
    /// transaction that received it, and keeps the event for the daily digests. `calendar` is the visit they
    /// attach (``notificationCalendar(for:)``, asked of Station before the transaction).
    func queueNotifications(for event: CareRequestEvent, calendar: VisitCalendarEvent?, on db: any Database)
        async throws
    {
        guard let partner = event.partner else { return }
        let at = now()
        let body = String(decoding: try CareRequestEvent.encoder.encode(event), as: UTF8.self)
        try await db.sql.raw(
            """
            INSERT INTO notification_events (id, partner_id, care_request_id, received_at, event) \
            VALUES (\(bind: event.id), \(bind: partner.rawValue), \(bind: event.careRequest.rawValue), \(bind: at), \
            \(bind: body)) ON CONFLICT (id) DO NOTHING
            """
        ).run()
        for mail in try await notificationMails(for: event, partner: partner, calendar: calendar, on: db) {
            try await Mailer.enqueue(mail, at: at, on: db)
        }
    }

    /// One email per partner user told about `event` as it happens (``NotificationRule``), with `calendar`'s
    /// `.ics` attached when there is one.
    func notificationMails(
        for event: CareRequestEvent, partner: PartnerID, calendar: VisitCalendarEvent?, on db: any Database
    ) async throws -> [MailMessage] {
        let (readers, creator) = try await toldReaders(of: event, partner: partner, on: db)
        return readers.map { reader in
            let context = context(for: reader)
            let email = NotificationEmail.change(
                event, yours: creator == reader.subscriber.id, calendar: calendar, context)
            var message = mail(email, to: reader, context, messageID: "evt-\(event.id).\(reader.subscriber.id.wire)")
            message.attachments = calendar.map { [MailAttachment($0)] } ?? []
            return message
        }
    }

    /// The partner users told about `event` as it happens, and the request's creator.
    func toldReaders(of event: CareRequestEvent, partner: PartnerID, on db: any Database) async throws
        -> (readers: [NotificationReader], creator: UserID?)
    {
        let creator = try await db.sql.raw(
            "SELECT user_id FROM care_request_users WHERE care_request_id = \(bind: event.careRequest.rawValue)"
        ).first().map { UserID(rawValue: try $0.decode(column: "user_id", as: UUID.self)) }
        let readers = try await notificationReaders(partner: partner, on: db)
        let told = Set(
            NotificationRule.immediateRecipients(of: event, creator: creator, among: readers.map(\.subscriber)))
        return (readers.filter { told.contains($0.subscriber.id) }, creator)
    }

    /// A partner user who may be emailed, with their choice and their time zone.
    struct NotificationReader {
        var subscriber: NotificationSubscriber
        var name: String
        var email: String
        var zone: TimeZone
    }

    /// The partner's active users (synthetic monitoring's aside: no person reads their mail) with their choice,
    /// in one statement, SQL text decoded column by column (every event a partner's request has runs it twice).
    func notificationReaders(partner: PartnerID, on db: any Database) async throws -> [NotificationReader] {
        let rows = try await db.sql.raw(
            """
            SELECT u.id AS id, u.name AS name, u.email AS email, p.time_zone AS time_zone, \
            p.notify_about AS notify_about, p.notify_delivery AS notify_delivery \
            FROM users u LEFT JOIN preferences p ON p.user_id = u.id \
            WHERE u.partner_id = \(bind: partner.rawValue) AND u.active = \(bind: true) AND u.synthetic = \(bind: false)
            """
        ).all()
        let denver = TimeZone(identifier: "America/Denver") ?? .gmt
        return try rows.map { row in
            let about =
                try row.decodeNil(column: "notify_about")
                ? nil : try row.decode(column: "notify_about", as: String.self)
            let delivery =
                try row.decodeNil(column: "notify_delivery")
                ? nil : try row.decode(column: "notify_delivery", as: String.self)
            let zone =
                try row.decodeNil(column: "time_zone") ? nil : try row.decode(column: "time_zone", as: String.self)
            return NotificationReader(
                subscriber: NotificationSubscriber(
                    id: UserID(rawValue: try row.decode(column: "id", as: UUID.self)), partner: partner, active: true,
                    scope: about.flatMap(NotificationScope.init(rawValue:)) ?? .none,
                    delivery: delivery.flatMap(NotificationDelivery.init(rawValue:)) ?? .immediate),
                name: try row.decode(column: "name", as: String.self),
                email: try row.decode(column: "email", as: String.self),
                zone: zone.flatMap(TimeZone.init(identifier:)) ?? denver)
        }
    }

    var unsubscribeLinks: UnsubscribeLink {
        UnsubscribeLink(secret: config.unsubscribeSecret, publicURL: config.publicURL)
    }

    func context(for reader: NotificationReader) -> NotificationEmail.Context {
        let base = config.publicURL
        return NotificationEmail.Context(
            zone: reader.zone, scope: reader.subscriber.scope, requestURL: { "\(base)/care-requests/\($0.wire)" },
            profileURL: "\(base)/profile", unsubscribeURL: unsubscribeLinks.url(for: reader.subscriber.id, now: now()))
    }

    /// The email as it is queued, with the one-click unsubscribe headers (RFC 8058).
    func mail(
        _ email: NotificationEmail, to reader: NotificationReader, _ context: NotificationEmail.Context,
        messageID: String
    ) -> MailMessage {
        let from = config.mail.from
        let unsubscribe = context.unsubscribeURL
        return MailMessage(
            from: from, to: [MailAddress(name: reader.name, address: reader.email)], subject: email.subject,
            text: email.text, html: email.html,
            headers: ["List-Unsubscribe": "<\(unsubscribe)>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"],
            messageID: "\(messageID)@\(from.domain)")
    }
}
