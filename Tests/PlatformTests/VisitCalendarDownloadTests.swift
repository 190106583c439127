import Foundation
import Platform
import Testing
import Vapor
import Vocabulary

@Suite("A visit's calendar file as a download")
struct VisitCalendarDownloadTests {
    @Test("an attachment named for the visit, the calendar's type and method, never cached, the .ics as its body")
    func download() {
        let event = VisitCalendarEvent(
            careRequest: CareRequestID(wire: "6f1c2a9e-0b7d-4c1e-9a55-3f2d8e7b1c40")!,
            window: DateInterval(start: Date(timeIntervalSince1970: 1_796_000_400), duration: 7200), sequence: 2,
            cancelled: true, stamp: Date(timeIntervalSince1970: 0))
        let response = event.download()
        #expect(response.status == .ok)
        #expect(response.headers.first(name: .contentType) == "text/calendar; charset=utf-8; method=CANCEL")
        #expect(
            response.headers.first(name: .contentDisposition) == "attachment; filename=\"home-visit-6f1c2a9e.ics\"")
        #expect(response.headers.first(name: .cacheControl) == "no-store")
        #expect(response.body.string == event.ics)
    }
}
