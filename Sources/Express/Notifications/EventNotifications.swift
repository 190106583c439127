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
        try await db.sql.insert(into: NotificationEventModel.schema)
            .columns("id", "partner_id", "care_request_id", "received_at", "event")
            .values(
                SQLBind(event.id), SQLBind(partner.rawValue), SQLBind(event.careRequest.rawValue), SQLBind(at),
                SQLBind(String(decoding: try CareRequestEvent.encoder.encode(event), as: UTF8.self))
            )
            .ignoringConflicts(with: "id")
            .run()
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
        let creator = try await db.sql.select().column("user_id").from(CareRequestUserModel.schema)
            .where("care_request_id", .equal, SQLBind(event.careRequest.rawValue)).first()
            .map { UserID(rawValue: try $0.decode(column: "user_id", as: UUID.self)) }
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
    /// in one statement decoded column by column (every event a partner's request has runs it).
    func notificationReaders(partner: PartnerID, on db: any Database) async throws -> [NotificationReader] {
        func user(_ name: String) -> SQLColumn { SQLColumn(name, table: "u") }
        func preference(_ name: String) -> SQLColumn { SQLColumn(name, table: "p") }
        let rows = try await db.sql.select()
            .column(user("id"), as: "id").column(user("name"), as: "name").column(user("email"), as: "email")
            .column(preference("time_zone"), as: "time_zone").column(preference("notify_about"), as: "notify_about")
            .column(preference("notify_delivery"), as: "notify_delivery")
            .from(SQLAlias(SQLIdentifier(UserModel.schema), as: SQLIdentifier("u")))
            .join(
                SQLAlias(SQLIdentifier(PreferencesModel.schema), as: SQLIdentifier("p")), method: SQLJoinMethod.left,
                on: preference("user_id"), .equal, user("id")
            )
            .where(user("partner_id"), .equal, SQLBind(partner.rawValue))
            .where(user("active"), .equal, SQLBind(true)).where(user("synthetic"), .equal, SQLBind(false))
            .all()
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
