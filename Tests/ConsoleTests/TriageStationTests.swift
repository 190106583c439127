import ConsoleDomain
import Fluent
import Foundation
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import Console
@testable import Station

/// The triage pages against a real Station, with the nurse's own token: the queue, the detail, and an outcome
/// that Station records as the nurse's.
@Suite("Console triage against Station")
struct TriageStationTests {
    static func first(_ pattern: String, in text: String) throws -> String {
        let regex = try Regex(pattern)
        let match = try #require(text.firstMatch(of: regex))
        return try #require(match.output[1].substring.map(String.init))
    }

    @Test("a nurse schedules a demo triage request: Station moves it to requested in that window, as the nurse")
    func scheduleThroughStation() async throws {
        try await ConsoleHarness.with(station: .real) { console in
            let station = try #require(console.station)
            let nia = try await console.signIn(as: .nurse)
            let queue = try await nia.get("/triage")
            #expect(queue.status == .ok)
            let id = try Self.first(#"<tr id="triage-[0-9a-f-]+" data-live-id="([0-9a-f-]{36})""#, in: queue.text)

            let detail = try await nia.get("/triage/\(id)")
            #expect(detail.status == .ok)
            #expect(detail.text.contains("href=\"tel:3035550100\""))
            #expect(!detail.text.contains("<dd>Partner</dd>") && !detail.text.contains("Patient (self)"))
            let window = try Self.first(#"<option value="([^"]+/[^"]+)""#, in: detail.text)
            let interval = try #require(TriageOutcomeForm.window(from: window))

            #expect(try await nia.post("/triage/\(id)/claim").status == .seeOther)
            let done = try await nia.post(
                "/triage/\(id)/outcome", ["outcome": "schedule", "window": window, "note": "Spoke with the front desk"])
            #expect(done.status == .seeOther && done.location == "/triage")

            let uuid = try #require(UUID(uuidString: id))
            let request = try #require(try await CareRequestModel.find(uuid, on: station.db))
            #expect(request.status == "requested")
            #expect(request.windowStart == interval.start)
            let last = try await StatusChangeModel.query(on: station.db).filter(\.$careRequestID == uuid)
                .sort(\.$changedAt, .descending).first()
            #expect(last?.toStatus == "requested" && last?.actor == StaffMember.nurse.id)

            #expect(!(try await nia.get("/triage")).text.contains(id))
            // The live row: a handled request is no new row for the queue, and an open row says it was handled.
            #expect(try await nia.get("/triage/\(id)/row?new=1").status == .notFound)
            let row = try await nia.get("/triage/\(id)/row")
            #expect(row.status == .ok && row.text.hasPrefix("<tr") && row.text.contains("Handled"))
            let summary = try await nia.get("/triage/\(id)/summary")
            #expect(summary.text.contains("no longer waiting for a nurse"))
        }
    }
}
