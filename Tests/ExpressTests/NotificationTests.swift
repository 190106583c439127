import ExpressDomain
import Fluent
import Foundation
import Platform
import SQLKit
import Testing
import Vapor
import Vocabulary

@testable import Express

extension ExpressHarness {
    /// Sets `email`'s notification choice and time zone, as the profile page would.
    @discardableResult
    func choose(
        _ email: String, _ scope: NotificationScope, _ delivery: NotificationDelivery = .immediate,
        zone: String = "America/Denver"
    ) async throws -> UserModel {
        let user = try #require(try await service.user(email: email))
        let preferences = try await service.preferences(user.userID)
        preferences.notifyAbout = scope.rawValue
        preferences.notifyDelivery = delivery.rawValue
        preferences.timeZone = zone
        try await preferences.save(on: app.db)
        return user
    }

    /// Records `email` as the creator of `request`, as OSS's callback does.
    func created(_ request: CareRequestID, by email: String) async throws {
        let user = try #require(try await service.user(email: email))
        try await service.link(careRequest: request, partner: user.partner, user: user.userID)
    }

    /// The emails queued for sending, oldest first.
    func queuedMail() async throws -> [MailMessage] {
        try await OutboxLog(database: service.database).messages(destination: "mail", limit: 100).reversed().map {
            try JSONDecoder().decode(MailMessage.self, from: $0.payload)
        }
    }
}

/// A status change of one of Sunrise's requests: on the way, with an arrival estimate.
func onTheWay(_ request: CareRequestID, id: Int64 = 1, partner: PartnerID = PartnerID(rawValue: DemoPartners.sunriseID))
    -> CareRequestEvent
{
    let eta = CareRequestEvent.Interval(
        start: try! Date("2026-11-30T21:00:00Z", strategy: .iso8601),
        end: try! Date("2026-11-30T22:00:00Z", strategy: .iso8601))
    return CareRequestEvent(
        id: id, type: .statusChanged, careRequest: request, partner: partner, oldStatus: .scheduled,
        newStatus: .onRoute, window: eta, eta: eta, at: Date())
}

@Suite("Notification emails to partner users")
struct NotificationTests {
    typealias Harness = ExpressHarness

    @Test("each user gets what they chose: their own requests, all the partner's, or nothing; never another partner's")
    func recipients() async throws {
        try await Harness.with(station: .none) { express in
            let request = CareRequestID.random()
            try await express.created(request, by: "scheduler@sunrise.example")
            try await express.choose("scheduler@sunrise.example", .createdByMe)
            try await express.choose("admin@sunrise.example", .partner)
            try await express.choose("viewer@sunrise.example", .none)
            try await express.choose("admin@mercy.example", .partner)
            try await express.stationPushes(onTheWay(request))
            let mail = try await express.queuedMail()
            #expect(
                Set(mail.flatMap(\.to).map(\.address)) == ["scheduler@sunrise.example", "admin@sunrise.example"])
            #expect(mail.count == 2)
            // Someone else's request: only the partner-wide reader hears of it.
            try await express.stationPushes(onTheWay(.random(), id: 2))
            #expect(try await express.queuedMail().count == 3)
            #expect(try await express.queuedMail().last?.to.map(\.address) == ["admin@sunrise.example"])
        }
    }

    @Test("deactivated users and synthetic monitors are not emailed, whatever they chose")
    func inactive() async throws {
        try await Harness.with(station: .none) { express in
            let request = CareRequestID.random()
            let scheduler = try await express.choose("scheduler@sunrise.example", .createdByMe)
            try await express.choose("monitor@sunrise.example", .partner)
            try await express.created(request, by: "scheduler@sunrise.example")
            scheduler.active = false
            try await scheduler.save(on: express.app.db)
            try await express.stationPushes(onTheWay(request))
            #expect(try await express.queuedMail().isEmpty)
        }
    }

    @Test("the email names no patient and no reason: status, arrival in the reader's time zone, link, unsubscribe")
    func content() async throws {
        try await Harness.with { express in
            let detail = try #require(
                try await express.station.careRequest(
                    partner: PartnerID(rawValue: DemoPartners.sunriseID),
                    id: CareRequestID(wire: try await express.sunriseCareRequest())!))
            try await express.created(detail.id, by: "scheduler@sunrise.example")
            try await express.choose("scheduler@sunrise.example", .createdByMe, zone: "America/New_York")
            try await express.stationPushes(onTheWay(detail.id))
            let mail = try #require(try await express.queuedMail().first)
            #expect(mail.subject == "Care request update: On the way")
            #expect(mail.text.contains("is now: On the way."))
            #expect(mail.text.contains("4:00 PM–5:00 PM EST")) // 21:00–22:00 UTC in New York
            #expect(mail.html.contains("4:00 PM–5:00 PM EST"))
            let link = "http://localhost:8080/care-requests/\(detail.id.wire)"
            #expect(mail.text.contains(link) && mail.html.contains("href=\"\(link)\""))
            let unsubscribe = try #require(mail.headers["List-Unsubscribe"])
            #expect(unsubscribe.hasPrefix("<http://localhost:8080/unsubscribe/") && unsubscribe.hasSuffix(">"))
            #expect(mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
            let url = String(unsubscribe.dropFirst().dropLast())
            #expect(mail.text.contains(url) && mail.html.contains(url))
            let patient = detail.patient
            for phi in [
                patient.familyName, patient.givenName, patient.dateOfBirth, patient.phone ?? "-",
                detail.visitAddress.line1, detail.chiefComplaint, patient.mrn ?? "-",
            ] {
                for part in [mail.subject, mail.text, mail.html] {
                    #expect(!part.contains(phi), "\(phi) is in the email")
                }
            }
        }
    }

    @Test("a moved arrival estimate is mailed with the new estimate in the reader's time zone")
    func newEstimate() async throws {
        try await Harness.with { express in
            let id = try #require(CareRequestID(wire: try await express.sunriseCareRequest()))
            try await express.created(id, by: "scheduler@sunrise.example")
            try await express.choose("scheduler@sunrise.example", .createdByMe, zone: "America/Denver")
            var event = onTheWay(id)
            (event.type, event.oldStatus, event.newStatus) = (.etaChanged, .scheduled, .scheduled)
            try await express.stationPushes(event)
            let mail = try #require(try await express.queuedMail().first)
            #expect(mail.subject == "Care request update: new arrival estimate")
            #expect(mail.text.contains("A care request you created has a new arrival estimate."))
            #expect(mail.text.contains("Estimated arrival: ") && mail.text.contains("2:00 PM–3:00 PM MST"))
        }
    }

    @Test("the HTML part escapes what it shows")
    func escaping() {
        #expect(
            HTMLText.escape("<a href=\"x\">Tom & Jerry's</a>")
                == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
    }
}

@Suite("One-click unsubscribe")
struct UnsubscribeTests {
    typealias Harness = ExpressHarness

    func link(_ express: Harness, _ email: String, now: Date = Date()) async throws -> String {
        let user = try #require(try await express.service.user(email: email))
        return "/unsubscribe/" + express.service.unsubscribeLinks.token(for: user.userID, now: now)
    }

    @Test("opening the link changes nothing and shows a button; the button (or a mail client's POST) sets none")
    func unsubscribe() async throws {
        try await Harness.with(station: .none) { express in
            let user = try await express.choose("scheduler@sunrise.example", .partner, .dailyDigest)
            let path = try await link(express, "scheduler@sunrise.example")
            let page = try await express.app.testing().sendRequest(.GET, path)
            #expect(page.status == .ok)
            #expect(page.body.string.contains("<form method=\"post\" action=\"\(path)\">"))
            #expect(try await express.service.preferences(user.userID).notificationScope == .partner)
            // No cookie, no CSRF token: the body a mail client sends (RFC 8058).
            let done = try await express.app.testing().sendRequest(
                .POST, path, headers: ["Content-Type": "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
            #expect(done.status == .ok)
            #expect(done.body.string.contains("You are unsubscribed"))
            #expect(try await express.service.preferences(user.userID).notificationScope == NotificationScope.none)
            #expect(try await express.audit("notifications.unsubscribe").first?.userID == user.id)
        }
    }

    @Test("a forged or altered link is refused with 400, an expired one with 410, and nothing changes")
    func refused() async throws {
        try await Harness.with(station: .none) { express in
            let user = try await express.choose("scheduler@sunrise.example", .partner)
            let path = try await link(express, "scheduler@sunrise.example")
            let forged = String(path.dropLast(2)) + (path.hasSuffix("AA") ? "BB" : "AA")
            let stranger =
                "/unsubscribe/"
                + UnsubscribeLink(secret: "another secret", publicURL: "")
                .token(for: user.userID, now: Date())
            for bad in [forged, stranger, "/unsubscribe/nonsense"] {
                let response = try await express.app.testing().sendRequest(.POST, bad)
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains("This link is not valid"))
                #expect(try await express.app.testing().sendRequest(.GET, bad).status == .badRequest)
            }
            let old = try await link(
                express, "scheduler@sunrise.example", now: Date().addingTimeInterval(-UnsubscribeLink.lifetime - 60))
            let expired = try await express.app.testing().sendRequest(.POST, old)
            #expect(expired.status == .gone)
            #expect(expired.body.string.contains("This link has expired"))
            #expect(try await express.service.preferences(user.userID).notificationScope == .partner)
        }
    }
}

@Suite("Daily digest")
struct DailyDigestTests {
    typealias Harness = ExpressHarness

    /// Tomorrow at `minutes` past midnight in Denver: the digest then covers today, when the test's events arrive.
    func tomorrow(_ minutes: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/Denver")!
        let midnight = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: Date()))!
        return calendar.date(byAdding: .minute, value: minutes, to: midnight)!
    }

    @Test("a digest reader gets one summary the next morning, once, and no single emails")
    func once() async throws {
        try await Harness.with(station: .none) { express in
            let request = CareRequestID.random()
            try await express.created(request, by: "scheduler@sunrise.example")
            let scheduler = try await express.choose("scheduler@sunrise.example", .createdByMe, .dailyDigest)
            try await express.choose("admin@sunrise.example", .partner)
            try await express.stationPushes(onTheWay(request, id: 1))
            try await express.stationPushes(onTheWay(.random(), id: 2))
            #expect(
                try await express.queuedMail().map { $0.to[0].address } == [
                    "admin@sunrise.example", "admin@sunrise.example",
                ])
            // 6:59 AM the day after: nothing yet; from 7 AM on, one digest, however often the worker looks.
            #expect(try await express.service.sendDueDigests(at: tomorrow(6 * 60 + 59)) == 0)
            #expect(try await NotificationDigestModel.query(on: express.app.db).count() == 0)
            #expect(try await express.service.sendDueDigests(at: tomorrow(7 * 60)) == 1)
            #expect(try await express.service.sendDueDigests(at: tomorrow(7 * 60)) == 0)
            #expect(try await express.service.sendDueDigests(at: tomorrow(20 * 60)) == 0)
            let digests = try await express.queuedMail().filter { $0.to[0].address == scheduler.email }
            #expect(digests.count == 1)
            let digest = try #require(digests.first)
            #expect(digest.subject == "Your daily care request summary: 1 request changed")
            #expect(digest.text.contains("/care-requests/\(request.wire)"))
            #expect(digest.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
            #expect(try await NotificationDigestModel.query(on: express.app.db).count() == 1)
        }
    }
}

@Suite("Notification preferences")
struct NotificationPreferenceTests {
    typealias Harness = ExpressHarness

    @Test("the old checkbox's choice survives the migration: ticked becomes \"requests I created\", else none")
    func migration() async throws {
        try await Harness.with(station: .none) { express in
            let db = express.app.db
            let ticked = try #require(try await express.service.user(email: "scheduler@sunrise.example"))
            let unticked = try #require(try await express.service.user(email: "viewer@sunrise.example"))
            try await M009_NotificationChoices().revert(on: db)
            for (user, value) in [(ticked, true), (unticked, false)] {
                try await db.sql.insert(into: PreferencesModel.schema)
                    .columns("user_id", "time_zone", "page_size", "email_notifications")
                    .values(SQLBind(user.id!), SQLBind("America/Denver"), SQLBind(25), SQLBind(value)).run()
            }
            try await M009_NotificationChoices().prepare(on: db)
            let scheduler = try await express.service.preferences(ticked.userID)
            #expect(scheduler.notificationScope == .createdByMe && scheduler.notificationDelivery == .immediate)
            #expect(try await express.service.preferences(unticked.userID).notificationScope == NotificationScope.none)
        }
    }

    @Test("the profile saves the choice and refuses one that is not offered")
    func profile() async throws {
        try await Harness.with { express in
            let browser = try await express.browser("admin@sunrise.example")
            let form = ["display_name": "", "time_zone": "America/Denver", "page_size": "25"]
            let bad = try await browser.post(
                "/profile", form.merging(["notify_about": "everyone", "notify_delivery": "hourly"]) { $1 })
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("id=\"notify_about-error\"") && bad.text.contains("id=\"notify_delivery-error\""))
            let ok = try await browser.post(
                "/profile", form.merging(["notify_about": "partner", "notify_delivery": "daily_digest"]) { $1 })
            #expect(ok.status == .seeOther)
            let page = try await browser.get("/profile")
            #expect(
                page.text.contains("value=\"partner\" checked") && page.text.contains("value=\"daily_digest\" checked"))
            let user = try #require(try await express.service.user(email: "admin@sunrise.example"))
            let stored = try await express.service.preferences(user.userID)
            #expect(stored.notificationScope == .partner && stored.notificationDelivery == .dailyDigest)
        }
    }
}
