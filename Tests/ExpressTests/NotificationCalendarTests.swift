import ExpressDomain
import Foundation
import Testing
import Vocabulary

@testable import Express
@testable import Platform

/// The visit's `.ics` that partner users' notification emails attach: a new request with a window, a
/// reschedule and a cancellation, with Station's calendar sequence.
@Suite("Notification emails: the visit's calendar file")
struct NotificationCalendarTests {
    typealias Harness = ExpressHarness

    /// A change of `request` as Station publishes it, with the window it has after the change.
    static func event(
        _ type: CareRequestEvent.Kind, _ request: CareRequestDetail, to status: CareRequestStatus, id: Int64 = 1
    ) -> CareRequestEvent {
        CareRequestEvent(
            id: id, type: type, careRequest: request.id, partner: StationDemo.sunrise, oldStatus: nil,
            newStatus: status, window: request.timeWindow.map { .init(start: $0.start, end: $0.end) }, eta: nil,
            at: Date())
    }

    /// Sunrise's newest requested care request, created by the scheduler, who asked to hear about their own.
    static func scheduled(_ express: Harness) async throws -> CareRequestDetail {
        let id = try #require(CareRequestID(wire: try await express.sunriseCareRequest()))
        try await express.created(id, by: "scheduler@sunrise.example")
        try await express.choose("scheduler@sunrise.example", .createdByMe, zone: "America/Denver")
        return try #require(try await express.station.careRequest(partner: StationDemo.sunrise, id: id))
    }

    static func calendar(_ mail: MailMessage) throws -> (type: String, ics: String) {
        try #require(mail.attachments.count == 1)
        let file = mail.attachments[0]
        #expect(file.fileName.hasSuffix(".ics"))
        // Long lines are folded (RFC 5545 3.1); read them unfolded, as a calendar does.
        return (
            file.contentType, String(decoding: file.data, as: UTF8.self).replacingOccurrences(of: "\r\n ", with: "")
        )
    }

    @Test("a reschedule's email names the new window and attaches the visit with Station's sequence")
    func rescheduled() async throws {
        try await Harness.with { express in
            var request = try await Self.scheduled(express)
            let moved = TimeWindow(
                start: request.timeWindow!.start.addingTimeInterval(86_400),
                end: request.timeWindow!.end.addingTimeInterval(86_400))
            express.station.update(request.id) {
                $0.timeWindow = moved
                $0.calendarSequence = 1
                $0.status = .accepted
            }
            request.timeWindow = moved
            try await express.stationPushes(Self.event(.rescheduled, request, to: .accepted))
            let mail = try #require(try await express.queuedMail().last)
            #expect(mail.subject == "Care request rescheduled")
            let window = Wording.window(moved.start, moved.end, zone: TimeZone(identifier: "America/Denver")!)
            #expect(
                mail.text.contains("A care request you created was moved to a new time.\nNew time window: \(window)"))
            #expect(mail.text.contains("Open the attached calendar file (.ics) to move the visit in your calendar."))
            let (type, ics) = try Self.calendar(mail)
            #expect(type == "text/calendar; charset=utf-8; method=PUBLISH")
            #expect(ics.contains("\r\nUID:care-request-\(request.id.wire)@selfscheduling.example\r\n"))
            #expect(ics.contains("\r\nSEQUENCE:1\r\n"))
            #expect(ics.contains("\r\nDTSTART:\(VisitCalendarEvent.utc(moved.start))\r\n"))
            #expect(ics.contains("URL:http://localhost:8080/care-requests/\(request.id.wire)"))
            for phi in [
                request.patient.givenName, request.patient.familyName, request.patient.dateOfBirth,
                request.visitAddress.line1, request.visitAddress.zip, request.chiefComplaint,
            ] {
                #expect(!ics.contains(phi), "\(phi) is in the calendar file")
            }
        }
    }

    @Test("a cancellation's email cancels the visit in the calendar: METHOD:CANCEL, the same UID, a higher sequence")
    func cancelled() async throws {
        try await Harness.with { express in
            let request = try await Self.scheduled(express)
            express.station.update(request.id) {
                $0.status = .archived
                $0.calendarSequence = 2
            }
            try await express.stationPushes(Self.event(.cancelled, request, to: .archived))
            let mail = try #require(try await express.queuedMail().last)
            #expect(mail.subject == "Care request cancelled")
            #expect(mail.text.contains("A care request you created was cancelled.\nThe visit planned for "))
            #expect(mail.text.contains("will not take place."))
            #expect(mail.text.contains("to remove the visit from your calendar."))
            let (type, ics) = try Self.calendar(mail)
            #expect(type == "text/calendar; charset=utf-8; method=CANCEL")
            #expect(ics.contains("\r\nMETHOD:CANCEL\r\n") && ics.contains("\r\nSTATUS:CANCELLED\r\n"))
            #expect(ics.contains("\r\nUID:care-request-\(request.id.wire)@selfscheduling.example\r\n"))
            #expect(ics.contains("\r\nSEQUENCE:2\r\n"))
        }
    }

    @Test("a status change attaches nothing; a creation pushed after its cancellation publishes nothing back")
    func noCalendar() async throws {
        try await Harness.with { express in
            let request = try await Self.scheduled(express)
            try await express.stationPushes(Self.event(.statusChanged, request, to: .scheduled))
            try await express.choose("admin@sunrise.example", .partner)
            express.station.update(request.id) { $0.status = .archived }
            try await express.stationPushes(Self.event(.created, request, to: .requested, id: 2))
            let mail = try await express.queuedMail()
            try #require(mail.count == 2)
            #expect(mail.allSatisfy { $0.attachments.isEmpty })
            #expect(!mail[1].text.contains("calendar"))
        }
    }

    @Test("Station not answering: the push fails (Station pushes it again), and nothing is queued")
    func stationDown() async throws {
        try await Harness.with(station: .unreachable) { express in
            let id = CareRequestID.random()
            try await express.created(id, by: "scheduler@sunrise.example")
            try await express.choose("scheduler@sunrise.example", .createdByMe)
            var event = onTheWay(id)
            event.type = .cancelled
            event.newStatus = .archived
            await #expect(throws: ServiceUnavailable.self) {
                try await express.service.receive(event, webhookID: "evt_1")
            }
            #expect(try await express.queuedMail().isEmpty)
        }
    }
}
