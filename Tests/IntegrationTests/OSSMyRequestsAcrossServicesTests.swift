import Fluent
import Foundation
import OSSDomain
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import OSS

/// A patient's requests read from a real Station a page at a time, and their calendar file (OSSTests prove the
/// pages and the file on a fake Station).
@Suite("OSS My requests across services")
struct OSSMyRequestsAcrossServicesTests {
    typealias Harness = OSSServicesHarness

    /// Books `count` more visits for `patient` in Denver's open windows, through OSS's own Station client.
    func book(_ count: Int, for patient: PatientID, _ oss: Harness) async throws -> [CareRequestID] {
        let station = try OSSApp.service(oss.app).downstream.station
        let denver = try #require(try await station.market(servingZip: "80202"))
        let day = { (offset: Double) in
            DateText.string(Date().addingTimeInterval(offset * 86_400), "yyyy-MM-dd", zone: .gmt)
        }
        let open = try await station.windows(in: denver.id, from: day(2), to: day(6), for: nil).filter {
            $0.remaining > 0
        }
        let line = try #require(try await station.serviceLines().first)
        var made: [CareRequestID] = []
        for window in open.prefix(count) {
            let request = CareRequestToCreate(
                partner: PartnerID(rawValue: DemoPartners.sunriseID), patient: patient, source: .partner,
                chiefComplaint: "x",
                visitAddress: .init(line1: "1 Main", line2: nil, city: "Denver", state: "CO", zip: "80202"),
                requester: .init(name: "x", phone: "3035550100"), questionnaireVersion: "1",
                screening: try ScreeningRules.screen([]), insurance: nil, powerOfAttorney: nil, callbackContact: nil,
                timeWindow: DateInterval(start: window.start, end: window.end), createdBy: nil, synthetic: false,
                idempotencyKey: .random())
            made.append(try await station.createCareRequest(request, serviceLine: line.id))
        }
        try #require(made.count == count)
        return made
    }

    @Test("Station's cursor pages through every request of the patient once, with its window; a bad cursor is refused")
    func paging() async throws {
        try await Harness.with { oss in
            let patient = try #require(PatientID(wire: try await oss.patient("whitfield")))
            let booked = try await book(3, for: patient, oss)
            let station = try OSSApp.service(oss.app).downstream.station
            var seen: [CareRequestSummary] = []
            var cursor: String?
            repeat {
                let page = try await station.careRequests(of: [patient], cursor: cursor, limit: 2)
                #expect(page.items.count <= 2)
                seen += page.items
                cursor = page.nextCursor
            } while cursor != nil
            let stored = try await oss.station.db.sql.raw(
                "SELECT COUNT(*) AS n FROM care_requests WHERE patient_id = \(bind: patient.rawValue)"
            ).first()!.decode(column: "n", as: Int.self)
            #expect(seen.count == stored && Set(seen.map(\.id)).count == stored)
            #expect(seen.allSatisfy { $0.patient == patient })
            for id in booked { #expect(seen.first { $0.id == id }?.timeWindow != nil) }
            #expect(seen.map(\.createdAt) == seen.map(\.createdAt).sorted(by: >))
            await #expect(throws: StationRefusal.self) {
                try await station.careRequests(of: [patient], cursor: "bm9uc2Vuc2U", limit: 2)
            }
        }
    }

    @Test("the patient's calendar file carries Station's request and window")
    func calendar() async throws {
        try await Harness.with { oss in
            let patient = try #require(PatientID(wire: try await oss.patient("whitfield")))
            let id = try #require(try await book(1, for: patient, oss).first)
            try await OSSApp.service(oss.app).link(account: "whitfield-account", to: patient)
            let browser = try await oss.browser(patient: "whitfield-account")
            let mine = try await browser.get("/requests")
            #expect(mine.text.contains("href=\"/requests/\(id.wire)/reschedule\""))
            let file = try await browser.get("/requests/\(id.wire)/calendar.ics")
            #expect(file.status == .ok)
            let ics = file.text.replacingOccurrences(of: "\r\n ", with: "")
            #expect(ics.contains("\r\nUID:care-request-\(id.wire)@selfscheduling.example\r\n"))
            #expect(ics.contains("\r\nSEQUENCE:0\r\n") && ics.contains("\r\nMETHOD:PUBLISH\r\n"))
        }
    }
}
