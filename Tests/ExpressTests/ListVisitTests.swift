import ExpressDomain
import Foundation
import Testing
import Vocabulary

@testable import Express

@Suite("The care request list shows when the visit is")
struct ListVisitTests {
    typealias Harness = ExpressHarness

    @Test("a row shows the booked window, then the arrival estimate once a dispatcher gives one")
    func visitColumn() async throws {
        try await Harness.with { express in
            let id = try await express.sunriseCareRequest()
            let requestID = try #require(CareRequestID(wire: id))
            // Monday 2 March 2026, 15:00–17:00 UTC: 8–10 AM in Denver, the scheduler's time zone.
            let start = Date(timeIntervalSince1970: 1_772_463_600)
            express.station.update(requestID) {
                $0.timeWindow = TimeWindow(start: start, end: start.addingTimeInterval(7200))
                $0.eta = nil
            }
            let sunrise = try await express.browser("scheduler@sunrise.example")
            let list = try await sunrise.get("/care-requests")
            #expect(list.text.contains("<th scope=\"col\">Visit</th>"))
            #expect(list.text.contains("<td data-label=\"Visit\">Mon, Mar 2, 8:00 AM–10:00 AM MST</td>"))

            express.station.update(requestID) {
                $0.eta = TimeWindow(start: start.addingTimeInterval(1800), end: start.addingTimeInterval(3600))
            }
            let row = try await sunrise.get("/care-requests/\(id)/row")
            #expect(row.text.contains("<td data-label=\"Visit\">Arrives Mon, Mar 2, 8:30 AM–9:00 AM MST</td>"))
        }
    }
}
