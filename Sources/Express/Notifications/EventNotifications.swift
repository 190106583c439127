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
        let creator = try await CareRequestUserModel.find(event.careRequest.rawValue, on: db).map {
            UserID(rawValue: $0.userID)
        }
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

    /// The partner's active users (synthetic monitoring's aside: no person reads their mail) with their choice.
    func notificationReaders(partner: PartnerID, on db: any Database) async throws -> [NotificationReader] {
        let users = try await UserModel.query(on: db).filter(\.$partnerID == partner.rawValue)
            .filter(\.$active == true).filter(\.$synthetic == false).all()
        let preferences = try await PreferencesModel.query(on: db).filter(\.$id ~~ users.compactMap(\.id)).all()
        let byUser = Dictionary(preferences.map { ($0.id!, $0) }, uniquingKeysWith: { a, _ in a })
        return users.map { user in
            let stored = byUser[user.id!]
            return NotificationReader(
                subscriber: NotificationSubscriber(
                    id: user.userID, partner: partner, active: user.active,
                    scope: stored?.notificationScope ?? .none, delivery: stored?.notificationDelivery ?? .immediate),
                name: user.name, email: user.email, zone: stored?.zone ?? TimeZone(identifier: "America/Denver")!)
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
