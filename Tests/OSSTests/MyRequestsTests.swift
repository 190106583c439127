import Fluent
import Foundation
import NIOConcurrencyHelpers
import OSSDomain
import TestSupport
import Testing
import Vocabulary

@testable import OSS

/// A patient's "My requests" and one request's page, with Station stubbed: every request a page at a time, and
/// what each may still change.
@Suite("My requests")
struct MyRequestsTests {
    typealias Harness = OSSHarness
    static let account = "patient-account-7"
    static let patient = PatientID(wire: "7a000000-0000-4000-8000-000000000007")!
    /// Tue Dec 1 2026, 9–11 AM in Denver.
    static let window = VisitWindow(
        start: Date(timeIntervalSince1970: 1_796_140_800), end: Date(timeIntervalSince1970: 1_796_148_000))

    static func summary(_ status: CareRequestStatus = .requested, window: VisitWindow? = Self.window)
        -> CareRequestSummary
    {
        CareRequestSummary(
            id: .random(), status: status, market: StationWorld.denver.id,
            createdAt: Date(timeIntervalSince1970: 1_796_000_000), timeWindow: window)
    }

    /// A browser signed in as the patient whose account is linked to ``patient``, with Station's markets stubbed.
    static func signedIn(_ oss: Harness) async throws -> TestBrowser {
        try await OSSApp.service(oss.app).link(account: account, to: patient)
        oss.station.stub { $0.markets = { [StationWorld.denver] } }
        return try await oss.browser(patient: account)
    }

    @Test("every request, a page at a time: Older requests carries only Station's cursor, and the last page ends")
    func paging() async throws {
        try await Harness.with { oss in
            let browser = try await Self.signedIn(oss)
            let all = (0..<23).map { _ in Self.summary() }
            let limits = NIOLockedValueBox<[Int]>([])
            oss.station.stub {
                $0.careRequests = { patients, cursor, limit in
                    #expect(patients == [Self.patient])
                    limits.withLockedValue { $0.append(limit) }
                    switch cursor {
                    case nil: return CareRequestPage(items: Array(all.prefix(20)), nextCursor: "Y3IfMjAyNg")
                    case "Y3IfMjAyNg": return CareRequestPage(items: Array(all.dropFirst(20)), nextCursor: nil)
                    default:
                        throw StationRefusal(status: 400, detail: "bad cursor", fields: ["cursor"], nextWindows: [])
                    }
                }
            }
            let first = try await browser.get("/requests")
            #expect(first.status == .ok)
            #expect(first.text.contains("href=\"/requests?cursor=Y3IfMjAyNg\">Older requests"))
            #expect(!first.text.contains("Newest requests"))
            let older = try await browser.get("/requests?cursor=Y3IfMjAyNg")
            #expect(
                !older.text.contains("Older requests") && older.text.contains("href=\"/requests\">« Newest requests"))
            for (index, request) in all.enumerated() {
                let onFirst = first.text.contains("href=\"/requests/\(request.id.wire)\"")
                let onOlder = older.text.contains("href=\"/requests/\(request.id.wire)\"")
                #expect(onFirst == (index < 20) && onOlder == (index >= 20), "request \(index)")
            }
            #expect(limits.withLockedValue { $0 } == [20, 20])

            let tampered = try await browser.get("/requests?cursor=nonsense")
            #expect(tampered.status == .badRequest && tampered.text.contains("out of date"))
        }
    }

    @Test("each row: its status and window in its market's zone; Change time and Cancel only before the team sets out")
    func rows() async throws {
        try await Harness.with { oss in
            let browser = try await Self.signedIn(oss)
            let booked = Self.summary(.requested)
            let triage = Self.summary(.pendingTriage, window: nil)
            let onTheWay = Self.summary(.onRoute)
            let closed = Self.summary(.archived)
            oss.station.stub {
                $0.careRequests = { _, _, _ in
                    CareRequestPage(items: [booked, triage, onTheWay, closed], nextCursor: nil)
                }
            }
            let page = try await browser.get("/requests").text
            #expect(page.contains("Visit: Tue, Dec 1, 9:00 AM – 11:00 AM MST"))
            #expect(page.contains("href=\"/requests/\(booked.id.wire)/reschedule\""))
            #expect(page.contains("href=\"/requests/\(booked.id.wire)/cancel\""))
            // Nothing to move before a nurse sets a time, but it can be cancelled.
            #expect(!page.contains("/requests/\(triage.id.wire)/reschedule"))
            #expect(page.contains("href=\"/requests/\(triage.id.wire)/cancel\""))
            for fixed in [onTheWay, closed] {
                #expect(!page.contains("/requests/\(fixed.id.wire)/reschedule"))
                #expect(!page.contains("/requests/\(fixed.id.wire)/cancel"))
            }
            #expect(page.contains("On the way") && page.contains("Cancelled"))
            // The help: what, until when, and how otherwise.
            #expect(page.contains("change the time of a visit, or cancel it, until the care team is on the way"))
            #expect(page.contains("call us at <a href=\"tel:(303) 555-0100\">(303) 555-0100</a>"))
        }
    }

    @Test(
        "the request's page: Change time, Cancel and Add to calendar while changeable; a fixed message after a change")
    func confirmation() async throws {
        try await Harness.with { oss in
            let browser = try await Self.signedIn(oss)
            let id = CareRequestID.random()
            oss.station.stub { $0.careRequest = { _ in CalendarDownloadTests.detail(id) } }
            let page = try await browser.get("/requests/\(id.wire)?changed=rescheduled").text
            #expect(page.contains("Your visit has a new time."))
            #expect(page.contains("Tuesday, December 1, 9:00 AM – 11:00 AM MST"))
            #expect(page.contains("href=\"/requests/\(id.wire)/reschedule\">Change time"))
            #expect(page.contains("href=\"/requests/\(id.wire)/cancel\">Cancel"))
            #expect(page.contains("href=\"/requests/\(id.wire)/calendar.ics\">Add to calendar"))
            let odd = try await browser.get("/requests/\(id.wire)?changed=%3Cb%3Ehi").text
            #expect(!odd.contains("&lt;b&gt;hi") && !odd.contains("<b>hi") && !odd.contains("flash-success"))
            let cancelled = try await browser.get("/requests/\(id.wire)?changed=cancelled").text
            #expect(cancelled.contains("Your request is cancelled."))
        }
    }

    @Test("a cancelled request says so and why, with no choices; one on the way says to call")
    func fixedRequests() async throws {
        try await Harness.with { oss in
            let browser = try await Self.signedIn(oss)
            let cancelled = CareRequestID.random()
            let onTheWay = CareRequestID.random()
            oss.station.stub {
                $0.careRequest = { id in
                    id == cancelled
                        ? CalendarDownloadTests.detail(id, status: .archived, sequence: 2, cancelledFor: .hospitalized)
                        : CalendarDownloadTests.detail(id, status: .onRoute)
                }
            }
            let closed = try await browser.get("/requests/\(cancelled.wire)").text
            #expect(closed.contains("<dd>Cancelled</dd>") && closed.contains(CancellationReason.hospitalized.label))
            #expect(!closed.contains("/reschedule") && !closed.contains("/cancel\""))
            #expect(closed.contains("href=\"/requests/\(cancelled.wire)/calendar.ics\">Remove from your calendar"))
            let started = try await browser.get("/requests/\(onTheWay.wire)").text
            #expect(started.contains("The care team is on the way. To change this visit, call us at"))
            #expect(!started.contains("/reschedule") && !started.contains("/cancel\""))
        }
    }
}
