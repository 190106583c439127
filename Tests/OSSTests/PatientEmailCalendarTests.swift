import Foundation
import OSSDomain
import Testing
import Vocabulary

@testable import OSS
@testable import Platform

/// The visit's `.ics` that patient emails attach: their new request, a reschedule and a cancellation, with Station's
/// calendar sequence, the same UID each time, and no health information.
@Suite("Patient emails: the visit's calendar file")
struct PatientEmailCalendarTests {
    typealias Harness = OSSHarness

    struct StationDown: Error {}

    /// The one `.ics` attached to `mail`: its content type and text.
    static func calendar(_ mail: MailMessage?) throws -> (type: String, ics: String) {
        let mail = try #require(mail)
        try #require(mail.attachments.count == 1)
        // Long lines are folded (RFC 5545 3.1); read them unfolded, as a calendar does.
        let ics = String(decoding: mail.attachments[0].data, as: UTF8.self).replacingOccurrences(of: "\r\n ", with: "")
        return (mail.attachments[0].contentType, ics)
    }

    @Test("created, moved, cancelled: PUBLISH with sequence 0, PUBLISH of the new window with 1, CANCEL with 2")
    func createMoveCancel() async throws {
        try await Harness.with { oss in
            let request = try await oss.patientRequest()
            let uid = "\r\nUID:care-request-\(request.wire)@selfscheduling.example\r\n"
            try await oss.expectHandled(oss.event(1, request, .created, to: .requested))
            let created = try Self.calendar(try await oss.queuedMail().last)
            #expect(created.type == "text/calendar; charset=utf-8; method=PUBLISH")
            #expect(created.ics.contains(uid) && created.ics.contains("\r\nSEQUENCE:0\r\n"))
            #expect(try await oss.queuedMail().last?.text.contains("to add the visit to your calendar.") == true)
            for phi in ["Pat", "1960", "Rash", "Colfax", "80203", "303-555-0123"] {
                #expect(!created.ics.contains(phi), "the calendar file carries \(phi)")
            }

            let moved = StationWorld.windows[1]
            oss.station.stub { s in
                s.careRequest = { id in
                    Harness.stationDetail(id) {
                        $0.timeWindow = VisitWindow(start: moved.start, end: moved.end)
                        $0.calendarSequence = 1
                    }
                }
            }
            var rescheduled = oss.event(2, request, .rescheduled, to: .requested)
            rescheduled.window = .init(start: moved.start, end: moved.end)
            try await oss.expectHandled(rescheduled)
            let movedMail = try #require(try await oss.queuedMail().last)
            #expect(movedMail.subject == "Your home visit has a new time")
            #expect(movedMail.text.contains("It is now planned between "))
            #expect(movedMail.text.contains("to move the visit in your calendar."))
            let second = try Self.calendar(movedMail)
            #expect(second.type == "text/calendar; charset=utf-8; method=PUBLISH")
            #expect(second.ics.contains(uid) && second.ics.contains("\r\nSEQUENCE:1\r\n"))
            #expect(second.ics.contains("\r\nDTSTART:\(VisitCalendarEvent.utc(moved.start))\r\n"))

            oss.station.stub { s in
                s.careRequest = { id in
                    Harness.stationDetail(id) {
                        $0.status = .archived
                        $0.calendarSequence = 2
                    }
                }
            }
            try await oss.expectHandled(oss.event(3, request, .cancelled, to: .archived))
            let cancelledMail = try #require(try await oss.queuedMail().last)
            #expect(cancelledMail.subject == "Your home visit was cancelled")
            #expect(cancelledMail.text.contains("to remove the visit from your calendar."))
            let third = try Self.calendar(cancelledMail)
            #expect(third.type == "text/calendar; charset=utf-8; method=CANCEL")
            #expect(third.ics.contains(uid) && third.ics.contains("\r\nSEQUENCE:2\r\n"))
            #expect(third.ics.contains("\r\nMETHOD:CANCEL\r\n"))
        }
    }

    @Test("other changes attach nothing; Station not saying when the visit is asks for the push again")
    func withoutCalendar() async throws {
        try await Harness.with { oss in
            let request = try await oss.patientRequest()
            try await oss.expectHandled(oss.event(1, request, .statusChanged, to: .onRoute))
            #expect(try await oss.queuedMail().last?.attachments.isEmpty == true)
            oss.station.stub { s in s.careRequest = { _ in throw StationDown() } }
            #expect(try await oss.push(oss.event(2, request, .cancelled, to: .archived)).status == .serviceUnavailable)
            #expect(try await oss.queuedMail().count == 1)
        }
    }
}
