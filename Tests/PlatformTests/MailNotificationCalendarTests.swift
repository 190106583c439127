import Foundation
import Testing
import Vocabulary

@testable import Platform

/// Which notification emails attach the visit's `.ics`, and what it says, without a server.
@Suite("Mail: the visit's calendar file in notifications")
struct MailNotificationCalendarTests {
    static let window = CareRequestEvent.Interval(
        start: Date(timeIntervalSince1970: 1_796_000_400), end: Date(timeIntervalSince1970: 1_796_007_600))

    static func event(
        _ type: CareRequestEvent.Kind, to status: CareRequestStatus,
        window: CareRequestEvent.Interval? = MailNotificationCalendarTests.window
    ) -> CareRequestEvent {
        CareRequestEvent(
            id: 1, type: type, careRequest: .random(), partner: nil, oldStatus: nil, newStatus: status, window: window,
            eta: nil, at: Date(timeIntervalSince1970: 0))
    }

    static func visit(_ event: CareRequestEvent, sequence: Int = 0, status: CareRequestStatus = .requested)
        -> VisitCalendarEvent?
    {
        NotificationCalendar.visit(
            for: event, sequence: sequence, window: nil, status: status, url: nil, stamp: Date(timeIntervalSince1970: 0)
        )
    }

    @Test("a new request with a window, a reschedule and a cancellation attach the visit; other changes do not")
    func which() {
        #expect(Self.visit(Self.event(.created, to: .requested))?.cancelled == false)
        #expect(Self.visit(Self.event(.created, to: .pendingTriage, window: nil)) == nil)
        #expect(Self.visit(Self.event(.rescheduled, to: .accepted), sequence: 3)?.sequence == 3)
        #expect(Self.visit(Self.event(.cancelled, to: .archived), sequence: 4, status: .archived)?.cancelled == true)
        #expect(Self.visit(Self.event(.statusChanged, to: .archived), status: .archived)?.method == "CANCEL")
        for status: CareRequestStatus in [.accepted, .scheduled, .onRoute, .complete] {
            #expect(Self.visit(Self.event(.statusChanged, to: status)) == nil, "\(status)")
        }
    }

    @Test("Station's current window wins over the event's; a request cancelled since publishes nothing back")
    func current() throws {
        let event = Self.event(.rescheduled, to: .requested)
        let now = DateInterval(start: Self.window.end, duration: 7200)
        let visit = try #require(
            NotificationCalendar.visit(
                for: event, sequence: 2, window: now, status: .requested, url: "https://x.example/r",
                stamp: Date(timeIntervalSince1970: 0)))
        #expect(visit.window == now && visit.careRequest == event.careRequest && visit.url == "https://x.example/r")
        #expect(Self.visit(event, sequence: 3, status: .archived) == nil)
        #expect(Self.visit(Self.event(.created, to: .requested), status: .archived) == nil)
    }
}
