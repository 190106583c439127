import Foundation
import Platform
import Testing
import Vocabulary

@Suite("A visit as an iCalendar event")
struct VisitCalendarEventTests {
    static let id = CareRequestID(wire: "6f1c2a9e-0b7d-4c1e-9a55-3f2d8e7b1c40")!
    static let window = DateInterval(
        start: Date(timeIntervalSince1970: 1_796_000_400), end: Date(timeIntervalSince1970: 1_796_007_600))

    func event(sequence: Int = 0, cancelled: Bool = false, summary: String = "Home visit") -> VisitCalendarEvent {
        VisitCalendarEvent(
            careRequest: Self.id, window: Self.window, sequence: sequence, cancelled: cancelled, summary: summary,
            url: "https://express.example/care-requests/\(Self.id.wire)", stamp: Date(timeIntervalSince1970: 0))
    }

    @Test("one UID per request, the window in UTC, CRLF line ends")
    func published() {
        let folded = event().ics
        // A long line (the UID's) is folded; read the content lines as a parser does.
        let ics = folded.replacingOccurrences(of: "\r\n ", with: "")
        #expect(ics.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(ics.contains("\r\nMETHOD:PUBLISH\r\n"))
        #expect(ics.contains("\r\nUID:care-request-6f1c2a9e-0b7d-4c1e-9a55-3f2d8e7b1c40@selfscheduling.example\r\n"))
        #expect(ics.contains("\r\nDTSTART:20261130T010000Z\r\nDTEND:20261130T030000Z\r\n"))
        #expect(ics.contains("\r\nSEQUENCE:0\r\n"))
        #expect(ics.contains("\r\nSTATUS:CONFIRMED\r\n"))
        #expect(ics.hasSuffix("END:VCALENDAR\r\n"))
        #expect(!ics.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test("a reschedule keeps the UID and raises SEQUENCE; a cancellation is METHOD:CANCEL")
    func changes() {
        let first = event()
        let moved = event(sequence: 1)
        let cancelled = event(sequence: 2, cancelled: true)
        #expect(first.uid == moved.uid && moved.uid == cancelled.uid)
        #expect(moved.ics.contains("\r\nSEQUENCE:1\r\n"))
        #expect(cancelled.ics.contains("\r\nMETHOD:CANCEL\r\n"))
        #expect(cancelled.ics.contains("\r\nSTATUS:CANCELLED\r\n"))
        #expect(cancelled.contentType == "text/calendar; charset=utf-8; method=CANCEL")
    }

    @Test("text is escaped and long lines fold at 75 octets without splitting a character")
    func folding() {
        let ics = event(summary: "Visite à domicile; équipe, \"soins\" — " + String(repeating: "é", count: 60)).ics
        for line in ics.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 75)
        }
        let unfolded = ics.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("SUMMARY:Visite à domicile\\; équipe\\, \"soins\" — "))
    }
}
