import ExpressDomain
import Fluent
import Foundation
import Platform
import Vocabulary

extension ExpressService {
    /// How long received events are kept for the digests: a day's digest, in any time zone, a day late.
    static let digestEventRetention: TimeInterval = 3 * 86_400

    /// Queues the daily digests due now (``DigestSchedule``), each user's day at most once even when several
    /// instances run this; returns how many emails it queued.
    @discardableResult
    func sendDueDigests(at: Date? = nil) async throws -> Int {
        let at = at ?? now()
        let waiting = try await PreferencesModel.query(on: db)
            .filter(\.$notifyDelivery == NotificationDelivery.dailyDigest.rawValue)
            .filter(\.$notifyAbout != NotificationScope.none.rawValue).all()
        var queued = 0
        for preferences in waiting {
            guard let user = preferences.id, let period = DigestSchedule.due(at: at, in: preferences.zone) else {
                continue
            }
            let handled = try await NotificationDigestModel.query(on: db).filter(\.$userID == user)
                .filter(\.$date == period.date).count()
            guard handled == 0 else { continue }
            if try await write({ db in try await digest(for: UserID(rawValue: user), period, at: at, on: db) }) {
                queued += 1
            }
        }
        let cutoff = at.addingTimeInterval(-Self.digestEventRetention)
        try await write { db in try await NotificationEventModel.query(on: db).filter(\.$receivedAt < cutoff).delete() }
        return queued
    }

    /// In one transaction: records `user`'s digest for `period` and queues its email when anything changed.
    /// A second instance doing the same at the same moment fails on the (user, date) key and queues nothing.
    private func digest(for user: UserID, _ period: DigestSchedule.Period, at: Date, on db: any Database)
        async throws -> Bool
    {
        guard
            try await NotificationDigestModel.query(on: db).filter(\.$userID == user.rawValue)
                .filter(\.$date == period.date).count() == 0,
            let partner = try await UserModel.find(user.rawValue, on: db)?.partner,
            let reader = try await notificationReaders(partner: partner, on: db).first(where: {
                $0.subscriber.id == user
            })
        else { return false }
        let events = try await NotificationEventModel.query(on: db).filter(\.$partnerID == partner.rawValue)
            .filter(\.$receivedAt >= period.start).filter(\.$receivedAt < period.end).sort(\.$id).all()
            .compactMap(\.decoded)
        let links = try await CareRequestUserModel.query(on: db).filter(
            \.$id ~~ Set(events.map(\.careRequest.rawValue))
        )
        .all()
        let creators = Dictionary(
            links.map { (CareRequestID(rawValue: $0.id!), UserID(rawValue: $0.userID)) },
            uniquingKeysWith: { a, _ in a })
        let listed = NotificationRule.digest(
            for: reader.subscriber, of: events.map { ($0, creators[$0.careRequest]) })
        try await NotificationDigestModel(user: user, date: period.date, events: listed.count, at: at).create(on: db)
        guard !listed.isEmpty else { return false }
        let context = context(for: reader)
        let day = DateText.string(period.start, "EEEE, MMMM d", zone: reader.zone)
        let email = NotificationEmail.digest(listed, day: day, context)
        try await Mailer.enqueue(
            mail(email, to: reader, context, messageID: "digest-\(period.date).\(user.wire)"), at: at, on: db)
        return true
    }

    /// The digest work `selfsched serve` repeats: a look every minute, so each user's digest leaves within a
    /// minute of their local hour.
    func digestWork() -> RepeatingWork {
        RepeatingWork("express.digests", every: .seconds(60)) { _ = try await sendDueDigests() }
    }
}
