import Foundation
import OSSDomain
import Testing
import Vocabulary

/// Which of Station's changes mail a patient, what the email says, and the unsubscribe token, without a server.
@Suite("Patient notices")
struct PatientNoticeTests {
    static let denver = TimeZone(identifier: "America/Denver")!
    static let window = CareRequestEvent.Interval(
        start: Date(timeIntervalSince1970: 1_790_085_600), end: Date(timeIntervalSince1970: 1_790_092_800))

    func event(
        _ type: CareRequestEvent.Kind = .statusChanged, to status: CareRequestStatus,
        window: CareRequestEvent.Interval? = PatientNoticeTests.window, eta: CareRequestEvent.Interval? = nil
    ) -> CareRequestEvent {
        CareRequestEvent(
            id: 7, type: type, careRequest: .random(), partner: nil, oldStatus: nil, newStatus: status,
            window: window, eta: eta, at: Date(timeIntervalSince1970: 1_790_000_000))
    }

    func context(firstName: String = "Pat") -> PatientEmail.Context {
        .init(
            firstName: firstName, requestURL: "https://oss.example/requests/abc",
            unsubscribeURL: "https://oss.example/unsubscribe/tok", phone: "(303) 555-0100", zone: Self.denver)
    }

    @Test("created, scheduled, a new estimate, on the way, complete, archived mail the patient; other moves do not")
    func whichChangesNotify() {
        #expect(PatientNotice(event(.created, to: .requested)) == .received(window: Self.window, nurseCalls: false))
        #expect(
            PatientNotice(event(.created, to: .pendingTriage, window: nil)) == .received(window: nil, nurseCalls: true))
        #expect(PatientNotice(event(to: .scheduled, eta: Self.window)) == .booked(Self.window))
        #expect(PatientNotice(event(to: .onRoute, eta: Self.window)) == .onTheWay(eta: Self.window))
        #expect(PatientNotice(event(to: .complete)) == .completed)
        #expect(PatientNotice(event(to: .archived)) == .cancelled)
        #expect(PatientNotice(event(.cancelled, to: .archived)) == .cancelled)
        #expect(PatientNotice(event(.rescheduled, to: .requested)) == .rescheduled(window: Self.window))
        #expect(PatientNotice(event(.rescheduled, to: .archived)) == nil)
        #expect(PatientNotice(event(.etaChanged, to: .scheduled, eta: Self.window)) == .newEstimate(Self.window))
        let estimate = PatientEmail(.newEstimate(Self.window), context())
        #expect(estimate.subject == "Your clinician's arrival estimate changed")
        #expect(
            estimate.text.contains(
                "Your clinician is now expected between Tuesday, September 22, 8:00 AM and 10:00 AM MDT."))
        for quiet: CareRequestStatus in [.requested, .accepted, .onScene] {
            #expect(PatientNotice(event(to: quiet)) == nil, "\(quiet)")
        }
    }

    @Test("the email names the first name, the status and the time in the market's zone, with both links")
    func onTheWayEmail() {
        let email = PatientEmail(.onTheWay(eta: Self.window), context())
        #expect(email.subject == "Your clinician is on the way")
        #expect(
            email.text == """
                Hi Pat,

                Your clinician is on the way and expected between Tuesday, September 22, 8:00 AM and 10:00 AM MDT.

                See your request: https://oss.example/requests/abc

                Questions? Call us at (303) 555-0100.

                You get these emails because you asked for a home visit online.
                Stop these emails: https://oss.example/unsubscribe/tok

                """)
        #expect(email.html.contains("<p>Hi Pat,</p>"))
        #expect(email.html.contains("8:00 AM and 10:00 AM MDT"))
        #expect(email.html.contains("<a href=\"https://oss.example/requests/abc\">"))
        #expect(email.html.contains("<a href=\"https://oss.example/unsubscribe/tok\">Stop these emails</a>"))
    }

    @Test("each notice has its own subject; a nurse-triage request says a nurse will call")
    func subjects() {
        let subjects = [
            PatientNotice.received(window: Self.window, nurseCalls: false), .booked(Self.window),
            .rescheduled(window: Self.window), .onTheWay(eta: nil), .completed, .cancelled,
        ].map { PatientEmail($0, context()).subject }
        #expect(Set(subjects).count == 6)
        let triage = PatientEmail(.received(window: nil, nurseCalls: true), context())
        #expect(triage.text.contains("A nurse will call you soon"))
        #expect(PatientEmail(.booked(Self.window), context()).text.contains("between Tuesday, September 22, 8:00 AM"))
    }

    @Test("a reschedule names the new window; an attached calendar file is explained, a cancelling one too")
    func rescheduledAndCalendar() {
        var with = context()
        with.calendar = .moves
        let moved = PatientEmail(.rescheduled(window: Self.window), with)
        #expect(moved.subject == "Your home visit has a new time")
        #expect(
            moved.text.contains(
                """
                Your home visit was moved to a new time.
                It is now planned between Tuesday, September 22, 8:00 AM and 10:00 AM MDT.
                Open the attached calendar file (.ics) to move the visit in your calendar.
                """))
        with.calendar = .removes
        let cancelled = PatientEmail(.cancelled, with)
        #expect(
            cancelled.text.contains("Open the attached calendar file (.ics) to remove the visit from your calendar."))
        #expect(cancelled.html.contains("<p>Open the attached calendar file (.ics) to remove the visit"))
        #expect(!PatientEmail(.cancelled, context()).text.contains("calendar"))
    }

    @Test("without a first name the email greets no one by name; HTML in a name is escaped")
    func greeting() {
        #expect(PatientEmail(.completed, context(firstName: " ")).text.hasPrefix("Hello,\n"))
        let html = PatientEmail(.completed, context(firstName: "<b>Pat</b>")).html
        #expect(html.contains("Hi &lt;b&gt;Pat&lt;/b&gt;,") && !html.contains("<b>Pat"))
    }

    @Test("an event's times travel as RFC 3339 in UTC with milliseconds, and read back")
    func eventTimes() throws {
        let event = event(.created, to: .requested)
        let json = String(decoding: try CareRequestEvent.encoder.encode(event), as: UTF8.self)
        #expect(json.contains("\"at\":\"2026-09-21T14:13:20.000Z\""))
        #expect(try CareRequestEvent.decoder.decode(CareRequestEvent.self, from: Data(json.utf8)) == event)
    }

    @Test("an unsubscribe token reads back with its secret only, and an altered one not at all")
    func unsubscribeToken() {
        let unsubscribe = EmailUnsubscribe(account: "8f0c2b0e-0000-4000-8000-000000000001", kind: .requestUpdates)
        let token = unsubscribe.token(secret: "s3cret")
        #expect(EmailUnsubscribe(token: token, secret: "s3cret") == unsubscribe)
        #expect(EmailUnsubscribe(token: token, secret: "other") == nil)
        #expect(EmailUnsubscribe(token: "x" + token, secret: "s3cret") == nil)
        #expect(EmailUnsubscribe(token: "nonsense", secret: "s3cret") == nil)
        #expect(!token.contains("@") && token.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) })
    }
}
