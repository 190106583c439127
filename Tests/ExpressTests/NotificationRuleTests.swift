import ExpressDomain
import Foundation
import Testing
import Vocabulary

/// Sunrise's team with one choice each, and an event of one of Sunrise's requests.
private struct NotificationFixture {
    let partner = PartnerID.random()
    let creator = UserID.random()
    let request = CareRequestID.random()

    func reader(
        _ scope: NotificationScope, _ delivery: NotificationDelivery = .immediate, id: UserID = .random(),
        active: Bool = true, partner: PartnerID? = nil
    ) -> NotificationSubscriber {
        NotificationSubscriber(
            id: id, partner: partner ?? self.partner, active: active, scope: scope, delivery: delivery)
    }

    func event(
        _ type: CareRequestEvent.Kind = .statusChanged, id: Int64 = 1, request: CareRequestID? = nil,
        to status: CareRequestStatus = .onRoute, partner: PartnerID?? = .none
    ) -> CareRequestEvent {
        CareRequestEvent(
            id: id, type: type, careRequest: request ?? self.request, partner: partner ?? self.partner,
            oldStatus: type == .created ? nil : .scheduled, newStatus: status, window: nil, eta: nil,
            at: Date(timeIntervalSince1970: 1_800_000_000 + Double(id)))
    }
}

@Suite("Who is told about a care request's event")
struct NotificationRuleTests {
    @Test("\"requests I created\" tells the creator of each status change and no one else")
    func createdByMe() {
        let f = NotificationFixture()
        let mine = f.reader(.createdByMe, id: f.creator)
        let someoneElses = f.reader(.createdByMe)
        #expect(NotificationRule.tells(mine, about: f.event(), creator: f.creator))
        #expect(!NotificationRule.tells(someoneElses, about: f.event(), creator: f.creator))
        #expect(!NotificationRule.tells(mine, about: f.event(), creator: nil))
        #expect(NotificationRule.tells(mine, about: f.event(.cancelled, to: .archived), creator: f.creator))
        // They made it themselves a moment ago: no email to say so.
        #expect(!NotificationRule.tells(mine, about: f.event(.created, to: .requested), creator: f.creator))
    }

    @Test("\"all of my partner's requests\" tells of every event of the partner's requests, new ones included")
    func partnerWide() {
        let f = NotificationFixture()
        let all = f.reader(.partner)
        #expect(NotificationRule.tells(all, about: f.event(), creator: f.creator))
        #expect(NotificationRule.tells(all, about: f.event(), creator: nil))
        #expect(NotificationRule.tells(all, about: f.event(.created, to: .requested), creator: f.creator))
        let allAndCreator = f.reader(.partner, id: f.creator)
        #expect(!NotificationRule.tells(allAndCreator, about: f.event(.created, to: .requested), creator: f.creator))
        #expect(NotificationRule.tells(allAndCreator, about: f.event(), creator: f.creator))
    }

    @Test("no one is told who chose none, is deactivated, belongs to another partner, or of a patient's own request")
    func nobody() {
        let f = NotificationFixture()
        #expect(!NotificationRule.tells(f.reader(.none, id: f.creator), about: f.event(), creator: f.creator))
        #expect(!NotificationRule.tells(f.reader(.partner, active: false), about: f.event(), creator: f.creator))
        #expect(
            !NotificationRule.tells(
                f.reader(.createdByMe, id: f.creator, active: false), about: f.event(), creator: f.creator))
        #expect(!NotificationRule.tells(f.reader(.partner, partner: .random()), about: f.event(), creator: nil))
        let creatorElsewhere = f.reader(.createdByMe, id: f.creator, partner: .random())
        #expect(!NotificationRule.tells(creatorElsewhere, about: f.event(), creator: f.creator))
        #expect(!NotificationRule.tells(f.reader(.partner), about: f.event(partner: .some(nil)), creator: nil))
    }

    @Test("emails as it happens go to the immediate readers only; digest readers wait for the summary")
    func immediate() {
        let f = NotificationFixture()
        let now = f.reader(.partner)
        let later = f.reader(.partner, .dailyDigest)
        let creator = f.reader(.createdByMe, id: f.creator)
        let recipients = NotificationRule.immediateRecipients(
            of: f.event(), creator: f.creator, among: [now, later, creator, f.reader(.none)])
        #expect(recipients == [now.id, creator.id])
    }

    @Test("a digest lists each request once, at its last change of the day, in the order requests last changed")
    func digest() {
        let f = NotificationFixture()
        let other = CareRequestID.random()
        let reader = f.reader(.createdByMe, .dailyDigest, id: f.creator)
        let events: [(event: CareRequestEvent, creator: UserID?)] = [
            (f.event(id: 1, to: .scheduled), f.creator),
            (f.event(id: 2, request: other, to: .accepted), .random()),
            (f.event(id: 3, to: .onRoute), f.creator),
            (f.event(id: 4, to: .onScene), f.creator),
        ]
        #expect(NotificationRule.digest(for: reader, of: events).map(\.id) == [4])
        let everyone = f.reader(.partner, .dailyDigest)
        #expect(NotificationRule.digest(for: everyone, of: events).map(\.id) == [2, 4])
        #expect(NotificationRule.digest(for: f.reader(.partner), of: events).isEmpty)
    }
}

@Suite("When the daily digest goes out")
struct DigestScheduleTests {
    let denver = TimeZone(identifier: "America/Denver")!

    func date(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test("not before 7 AM local time; from then on, the previous local day, midnight to midnight")
    func schedule() {
        // 06:59 in Denver (MST, UTC-7) on Nov 30.
        #expect(DigestSchedule.due(at: date("2026-11-30T13:59:00Z"), in: denver) == nil)
        let period = DigestSchedule.due(at: date("2026-11-30T14:00:00Z"), in: denver)
        #expect(period?.date == "2026-11-29")
        #expect(period?.start == date("2026-11-29T07:00:00Z"))
        #expect(period?.end == date("2026-11-30T07:00:00Z"))
        // Late the same evening it is still the same digest (so it is sent at most once a day).
        #expect(DigestSchedule.due(at: date("2026-12-01T05:00:00Z"), in: denver)?.date == "2026-11-29")
    }

    @Test("the hour is the reader's own: 7 AM in New York comes two hours before 7 AM in Denver")
    func zones() {
        let newYork = TimeZone(identifier: "America/New_York")!
        let at = date("2026-11-30T12:30:00Z") // 7:30 in New York, 5:30 in Denver
        #expect(DigestSchedule.due(at: at, in: newYork)?.date == "2026-11-29")
        #expect(DigestSchedule.due(at: at, in: denver) == nil)
    }
}
