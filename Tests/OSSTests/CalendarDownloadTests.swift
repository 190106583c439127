import Fluent
import Foundation
import OSSDomain
import TestSupport
import Testing
import Vocabulary

@testable import OSS

/// `GET /requests/{id}/calendar.ics`: the patient's own visit as an iCalendar file, and nobody else's.
@Suite("Add to calendar (patients)")
struct CalendarDownloadTests {
    typealias Harness = OSSHarness

    /// A request of ``MyRequestsTests/patient`` in Denver with ``MyRequestsTests/window``.
    static func detail(
        _ id: CareRequestID, patient: PatientID = MyRequestsTests.patient, status: CareRequestStatus = .requested,
        window: VisitWindow? = MyRequestsTests.window, sequence: Int = 0, cancelledFor reason: CancellationReason? = nil
    ) -> CareRequestDetail {
        CareRequestDetail(
            id: id, patient: patient, status: status, market: StationWorld.denver.id,
            chiefComplaint: "Rash on my arm",
            visitAddress: PostalAddress(line1: "2 Colfax Ave", city: "Denver", state: "CO", zip: "80203"),
            timeWindow: window, calendarSequence: sequence,
            cancellation: reason.map {
                CareRequestCancellation(
                    reason: $0, note: nil, at: Date(timeIntervalSince1970: 1_796_000_000), actor: "x")
            })
    }

    @Test("the own request's visit: one UID, Station's sequence, the window in UTC, a download never cached, no PHI")
    func ownRequest() async throws {
        try await Harness.with { oss in
            let browser = try await MyRequestsTests.signedIn(oss)
            let id = CareRequestID.random()
            oss.station.stub { $0.careRequest = { Self.detail($0, sequence: 1) } }
            let response = try await browser.get("/requests/\(id.wire)/calendar.ics")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .contentType) == "text/calendar; charset=utf-8; method=PUBLISH")
            #expect(
                response.headers.first(name: .contentDisposition)
                    == "attachment; filename=\"home-visit-\(id.wire.prefix(8)).ics\"")
            #expect(response.headers.first(name: .cacheControl) == "no-store")
            // Long lines are folded (RFC 5545): read them unfolded.
            let ics = response.text.replacingOccurrences(of: "\r\n ", with: "")
            #expect(ics.contains("\r\nMETHOD:PUBLISH\r\n"))
            #expect(ics.contains("\r\nUID:care-request-\(id.wire)@selfscheduling.example\r\n"))
            #expect(ics.contains("\r\nSEQUENCE:1\r\n"))
            #expect(ics.contains("\r\nDTSTART:20261201T160000Z\r\nDTEND:20261201T180000Z\r\n"))
            #expect(ics.contains("\r\nURL:http://localhost:8081/requests/\(id.wire)\r\n"))
            for phi in ["Rash", "Colfax", "80203", "Pat Patient"] { #expect(!ics.contains(phi), "\(phi)") }
        }
    }

    @Test("a cancelled request's file is a CANCEL of the same event, with the higher sequence")
    func cancelled() async throws {
        try await Harness.with { oss in
            let browser = try await MyRequestsTests.signedIn(oss)
            let id = CareRequestID.random()
            oss.station.stub {
                $0.careRequest = { Self.detail($0, status: .archived, sequence: 2, cancelledFor: .noLongerNeeded) }
            }
            let response = try await browser.get("/requests/\(id.wire)/calendar.ics")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .contentType) == "text/calendar; charset=utf-8; method=CANCEL")
            let ics = response.text.replacingOccurrences(of: "\r\n ", with: "")
            #expect(ics.contains("\r\nMETHOD:CANCEL\r\n") && ics.contains("\r\nSEQUENCE:2\r\n"))
            #expect(ics.contains("\r\nUID:care-request-\(id.wire)@selfscheduling.example\r\n"))
            #expect(ics.contains("\r\nSTATUS:CANCELLED\r\n"))
        }
    }

    @Test("another patient's request, an unknown one and a request without a window are 404; refusals are audited")
    func notTheirs() async throws {
        try await Harness.with { oss in
            let browser = try await MyRequestsTests.signedIn(oss)
            let others = CareRequestID.random()
            let unknown = CareRequestID.random()
            let unbooked = CareRequestID.random()
            oss.station.stub {
                $0.careRequest = { id in
                    switch id {
                    case others: Self.detail(id, patient: .random())
                    case unbooked: Self.detail(id, status: .pendingTriage, window: nil)
                    default: nil
                    }
                }
            }
            for id in [others, unknown] {
                let response = try await browser.get("/requests/\(id.wire)/calendar.ics")
                #expect(response.status == .notFound && !response.text.contains("BEGIN:VCALENDAR"))
                let audited = try await OSSAuditModel.query(on: oss.app.db)
                    .filter(\.$action == "care_request.calendar").filter(\.$subject == id.wire).all()
                #expect(audited.map(\.outcome) == ["not_found"])
            }
            let noWindow = try await browser.get("/requests/\(unbooked.wire)/calendar.ics")
            #expect(noWindow.status == .notFound && noWindow.text.contains("no visit time yet"))
            // A patient with no requests of their own yet has none to download either.
            let stranger = try await oss.browser(patient: "someone-else")
            #expect(try await stranger.get("/requests/\(others.wire)/calendar.ics").status == .notFound)
        }
    }
}
