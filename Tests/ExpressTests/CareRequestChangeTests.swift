import ExpressDomain
import Foundation
import Platform
import TestSupport
import Testing
import Vapor
import Vocabulary

@testable import Express

@Suite("Express: changing, cancelling and adding a request to a calendar")
struct CareRequestChangeTests {
    typealias Harness = ExpressHarness

    @Test("a scheduler sees “Change time” and “Cancel request” while the request may change; a viewer sees neither")
    func buttonsPerRole() async throws {
        try await Harness.with { express in
            let id = try express.sunrise(.requested, changeable: true)
            let scheduler = try await express.browser("scheduler@sunrise.example").get("/care-requests/\(id.wire)")
            #expect(scheduler.text.contains("action=\"/care-requests/\(id.wire)/reschedule\""))
            #expect(scheduler.text.contains("action=\"/care-requests/\(id.wire)/cancel\""))
            #expect(scheduler.text.contains(">Change time<") && scheduler.text.contains(">Cancel request<"))
            #expect(scheduler.text.contains("href=\"/care-requests/\(id.wire)/calendar.ics\""))
            let viewer = try await express.browser("viewer@sunrise.example").get("/care-requests/\(id.wire)")
            #expect(viewer.status == .ok)
            #expect(!viewer.text.contains("/reschedule") && !viewer.text.contains("/cancel\""))
            #expect(!viewer.text.contains("Change time") && !viewer.text.contains("Cancel request"))
            #expect(viewer.text.contains("Add to calendar"))
        }
    }

    @Test("a visit on the way shows no buttons, says to call with the number, and a POST by hand is refused")
    func started() async throws {
        try await Harness.with { express in
            express.handoffs.stub(.accept)
            let id = try express.sunrise(.onRoute, changeable: false)
            let scheduler = try await express.browser("scheduler@sunrise.example")
            let page = try await scheduler.get("/care-requests/\(id.wire)")
            #expect(!page.text.contains(">Change time<") && !page.text.contains(">Cancel request<"))
            #expect(page.text.contains("This visit has started; call us at (303) 555-0100 to change it."))
            let posted = try await scheduler.post("/care-requests/\(id.wire)/reschedule")
            #expect(posted.status == .conflict)
            #expect(posted.text.contains("This visit has started; call us at (303) 555-0100"))
            #expect(express.handoffs.pushed.isEmpty)
            #expect(try await express.audit("care_request.change_start").first?.outcome == "closed")
        }
    }

    @Test("a request waiting for a nurse's call (no window yet) may be cancelled, not moved")
    func noWindowYet() async throws {
        try await Harness.with { express in
            express.handoffs.stub(.accept)
            let id = try express.sunrise(.requested, changeable: true)
            express.station.update(id) { $0.timeWindow = nil }
            let scheduler = try await express.browser("scheduler@sunrise.example")
            let page = try await scheduler.get("/care-requests/\(id.wire)")
            #expect(!page.text.contains(">Change time<") && page.text.contains(">Cancel request<"))
            #expect(page.text.contains("A nurse will call to set the time of this visit."))
            let moved = try await scheduler.post("/care-requests/\(id.wire)/reschedule")
            #expect(moved.status == .conflict)
            #expect(moved.text.contains("This visit has no time yet"))
            #expect(express.handoffs.pushed.isEmpty)
            let cancelled = try await scheduler.post("/care-requests/\(id.wire)/cancel")
            #expect(cancelled.status == .seeOther)
            #expect(express.handoffs.pushed.count == 1)
        }
    }

    @Test("a viewer's hand-made POST is 403 with a clear page, audited, and nothing is pushed to OSS")
    func viewerRefused() async throws {
        try await Harness.with { express in
            let id = try express.sunrise(.requested, changeable: true)
            let viewer = try await express.browser("viewer@sunrise.example")
            for intent in ["reschedule", "cancel"] {
                let response = try await viewer.post("/care-requests/\(id.wire)/\(intent)")
                #expect(response.status == .forbidden)
                #expect(response.text.contains("You cannot change care requests"))
            }
            #expect(express.handoffs.pushed.isEmpty)
            let denied = try await express.audit("care_request.change_start")
            #expect(denied.count == 2 && denied.allSatisfy { $0.outcome == "denied" })
        }
    }

    @Test("“Change time” and “Cancel request” push the handoff with the intent and the request, and go to OSS")
    func handoffWithIntent() async throws {
        try await Harness.with { express in
            express.handoffs.stub(.accept)
            let id = try express.sunrise(.scheduled, changeable: true)
            let scheduler = try await express.browser("scheduler@sunrise.example")
            let moved = try await scheduler.post("/care-requests/\(id.wire)/reschedule")
            #expect(moved.status == .seeOther)
            #expect(moved.location == "http://localhost:8081/partner/start?handoff=handle-1")
            let cancelled = try await scheduler.post("/care-requests/\(id.wire)/cancel")
            #expect(cancelled.location == "http://localhost:8081/partner/start?handoff=handle-2")
            let pushed = express.handoffs.pushed
            #expect(pushed.map(\.intent) == [.reschedule, .cancel])
            #expect(pushed.allSatisfy { $0.careRequest == id && $0.partner == StationDemo.sunrise })
            #expect(pushed.allSatisfy { $0.returnURL == "http://localhost:8080/care-requests/returned" })
            let audited = try await express.audit("care_request.change_start")
            #expect(audited.count == 2 && audited.allSatisfy { $0.outcome == "handoff" })
            #expect(
                audited.allSatisfy { $0.careRequestIDs.contains(id.wire) && $0.detail?.contains("handle") == false })
        }
    }

    @Test("another partner's request, or a form without the CSRF token, pushes nothing")
    func scoping() async throws {
        try await Harness.with { express in
            let id = try express.sunrise(.requested, changeable: true)
            try await express.service.setFlag(.ossHandoff, partner: StationDemo.mercy, enabled: true)
            let mercy = try await express.browser("admin@mercy.example")
            #expect(try await mercy.post("/care-requests/\(id.wire)/cancel").status == .notFound)
            let scheduler = try await express.browser("scheduler@sunrise.example")
            #expect(try await scheduler.post("/care-requests/\(id.wire)/cancel", defaults: false).status == .forbidden)
            #expect(try await scheduler.post("/care-requests/not-an-id/cancel").status == .notFound)
            #expect(express.handoffs.pushed.isEmpty)
        }
    }

    @Test("back from a reschedule, the message says the window Station holds now, on the request's page")
    func returnedRescheduled() async throws {
        try await Harness.with { express in
            let id = try express.sunrise(.accepted, changeable: true)
            let start = Date(timeIntervalSince1970: 1_796_112_000)
            express.station.update(id) { $0.timeWindow = TimeWindow(start: start, end: start + 7200) }
            let scheduler = try await express.browser("scheduler@sunrise.example")
            let back = try await scheduler.get("/care-requests/returned?outcome=rescheduled&care_request_id=\(id.wire)")
            #expect(back.location == "/care-requests/\(id.wire)")
            let window = Wording.window(start, start + 7200, zone: TimeZone(identifier: "America/Denver")!)
            #expect(try await scheduler.follow(back).text.contains("The visit is now \(window)."))
        }
    }

    @Test("back from a cancellation, Express says what Station says, never what the query claims")
    func returnedCancelled() async throws {
        try await Harness.with { express in
            let id = try express.sunrise(.requested, changeable: true)
            let scheduler = try await express.browser("scheduler@sunrise.example")
            let claimed = try await scheduler.get(
                "/care-requests/returned?outcome=cancelled&care_request_id=\(id.wire)")
            #expect(try await scheduler.follow(claimed).text.contains("The care request was not cancelled."))
            let user = try #require(try await express.service.user(email: "scheduler@sunrise.example")).userID
            express.station.cancel(id, by: user)
            let back = try await scheduler.get("/care-requests/returned?outcome=cancelled&care_request_id=\(id.wire)")
            let page = try await scheduler.follow(back)
            #expect(page.text.contains("The care request was cancelled."))
            #expect(page.text.contains("by You: The patient went to the hospital."))
            #expect(!page.text.contains(">Cancel request<"))
            let admin = try await express.browser("admin@sunrise.example").get("/care-requests/\(id.wire)")
            #expect(admin.text.contains("by Sam Scheduler"))
        }
    }

    @Test("“unchanged”, an outcome without a request, and another partner's request say only what is true")
    func returnedOther() async throws {
        try await Harness.with { express in
            let id = try express.sunrise(.requested, changeable: true)
            let scheduler = try await express.browser("scheduler@sunrise.example")
            let kept = try await scheduler.get("/care-requests/returned?outcome=unchanged&care_request_id=\(id.wire)")
            #expect(try await scheduler.follow(kept).text.contains("Nothing was changed. The visit is now"))
            let abandoned = try await scheduler.get("/care-requests/returned?outcome=cancelled")
            #expect(try await scheduler.follow(abandoned).text.contains("Nothing was created"))
            let mercy = try await express.browser("admin@mercy.example")
            let foreign = try await mercy.get("/care-requests/returned?outcome=rescheduled&care_request_id=\(id.wire)")
            #expect(foreign.location == "/care-requests")
            let foreignPage = try await mercy.follow(foreign)
            #expect(!foreignPage.text.contains("The visit is now"))
            let outcomes = await express.analytics.tracked.filter { $0.event == "Handoff Returned" }.map {
                $0.property(.outcome)
            }
            #expect(outcomes == ["unchanged", "cancelled", "rescheduled"])
        }
    }

    @Test("the calendar file: the visit's window with Station's sequence, no PHI, no-store, audited, partner-scoped")
    func calendar() async throws {
        try await Harness.with { express in
            let id = try express.sunrise(.scheduled, changeable: true)
            express.station.update(id) { $0.calendarSequence = 2 }
            let scheduler = try await express.browser("scheduler@sunrise.example")
            let file = try await scheduler.get("/care-requests/\(id.wire)/calendar.ics")
            #expect(file.status == .ok)
            #expect(file.headers.first(name: .contentType) == "text/calendar; charset=utf-8; method=PUBLISH")
            #expect(file.headers.first(name: .contentDisposition)?.hasPrefix("attachment;") == true)
            #expect(file.headers.first(name: .cacheControl) == "no-store")
            // Long lines are folded (RFC 5545): a line break followed by a space continues the line.
            let ics = file.text.replacingOccurrences(of: "\r\n ", with: "")
            #expect(ics.contains("\r\nUID:care-request-\(id.wire)@selfscheduling.example\r\n"))
            #expect(ics.contains("\r\nSEQUENCE:2\r\n") && ics.contains("\r\nMETHOD:PUBLISH\r\n"))
            #expect(ics.contains("\r\nURL:http://localhost:8080/care-requests/\(id.wire)\r\n"))
            let request = try #require(try await express.station.careRequest(partner: StationDemo.sunrise, id: id))
            for phi in [request.patient.familyName, request.chiefComplaint, request.visitAddress.line1] {
                #expect(!file.text.contains(phi))
            }
            let audited = try #require(try await express.audit("care_request.calendar").first)
            #expect(audited.outcome == "success" && audited.careRequestIDs.contains(id.wire))
            express.station.cancel(id, by: .random())
            let cancelled = try await scheduler.get("/care-requests/\(id.wire)/calendar.ics")
            #expect(cancelled.text.contains("\r\nMETHOD:CANCEL\r\n") && cancelled.text.contains("\r\nSEQUENCE:3\r\n"))
            let mercy = try await express.browser("admin@mercy.example")
            #expect(try await mercy.get("/care-requests/\(id.wire)/calendar.ics").status == .notFound)
        }
    }
}

@Suite("Express: what a change's return says")
struct ChangeReportTests {
    let window = "Tue, Dec 1, 9:00 AM–11:00 AM MST"

    @Test("the outcomes OSS sends are read; anything else is unknown")
    func outcomes() {
        #expect(ReturnOutcome("rescheduled") == .rescheduled)
        #expect(ReturnOutcome("unchanged") == .unchanged)
        #expect(ReturnOutcome("cancelled") == .cancelled)
        #expect(ReturnOutcome("moved") == .unknown)
    }

    @Test("a reschedule reports the window the request has now")
    func rescheduled() {
        let report = ChangeReport(outcome: .rescheduled, status: .accepted, cancelled: false, window: window)
        #expect(report == ChangeReport(kind: .success, message: "The visit is now \(window)."))
        let stillCancelled = ChangeReport(outcome: .rescheduled, status: .archived, cancelled: true, window: window)
        #expect(stillCancelled == ChangeReport(kind: .info, message: "This care request is cancelled."))
    }

    @Test("a cancellation is confirmed only when the request is cancelled")
    func cancelled() {
        #expect(
            ChangeReport(outcome: .cancelled, status: .archived, cancelled: true, window: window).message
                == "The care request was cancelled.")
        let claimed = ChangeReport(outcome: .cancelled, status: .requested, cancelled: false, window: nil)
        #expect(claimed.kind == .info)
        #expect(
            claimed.message
                == "The care request was not cancelled. This care request is requested and has no time window yet.")
    }

    @Test("“unchanged” says nothing changed and what the request is")
    func unchanged() {
        #expect(
            ChangeReport(outcome: .unchanged, status: .scheduled, cancelled: false, window: window).message
                == "Nothing was changed. The visit is now \(window).")
    }

    @Test("an error while changing says nothing was changed; a closed change gives the number")
    func errors() {
        #expect(
            ReturnErrorReason.closed.changeMessage(supportPhone: "(303) 555-0100").contains("call us at (303) 555-0100")
        )
        #expect(
            ReturnErrorReason.allCases.allSatisfy {
                $0.changeMessage(supportPhone: "x").contains("Nothing was changed")
            })
    }
}

extension ExpressHarness {
    /// A Sunrise request in `status` from the demo Station, marked as Station would say whether it may change.
    func sunrise(_ status: CareRequestStatus, changeable: Bool) throws -> CareRequestID {
        let id = try #require(try station.holdings(StationDemo.sunrise).careRequests.first { $0.status == status }?.id)
        station.update(id) { $0.changeable = changeable }
        return id
    }
}

extension FakeStation {
    /// Cancels a stubbed request as Station does: archived, its sequence raised, the cancellation and its history.
    func cancel(_ id: CareRequestID, by user: UserID) {
        let at = Date()
        update(id) {
            $0.status = .archived
            $0.changeable = false
            $0.calendarSequence += 1
            $0.cancellation = Cancellation(reason: .hospitalized, cancelledAt: at, actor: user.wire)
            $0.statusHistory.append(
                StatusChange(
                    to: .archived, changedAt: at, reason: "Cancelled: The patient went to the hospital",
                    actor: user.wire))
        }
    }
}
