import ConsoleDomain
import Foundation
import Platform
import Testing
import Vapor
import Vocabulary

@testable import Console

/// The dispatch board: the day's windows and requests, moves that reach Station with the status the dispatcher
/// saw, Station's refusals shown with the fresh board, capacity changes, and only dispatchers in their markets.
@Suite("Console dispatch board")
struct BoardPageTests {
    typealias F = BoardFixtures

    @Test("the board shows each window's places and requests with only the moves Station allows, audited first")
    func boardShowsWindowsAndRequests() async throws {
        let (station, fetches) = F.station()
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let page = try await console.signIn(as: .dispatcher).get("/board?market=\(F.denver.wire)&date=2026-12-01")
            #expect(page.status == .ok)
            #expect(page.text.contains("08:00–10:00 · 1 of 4 places booked"))
            #expect(page.text.contains("10:00–12:00 · closed"))
            #expect(page.text.contains("Eleanor Whitfield") && page.text.contains("Sunrise Homes"))
            #expect(page.text.contains("Without a window") && page.text.contains("Walter Brandt"))
            // Eleanor is requested: accept or archive; Walter is accepted: schedule (with an estimate) or archive.
            #expect(
                page.text.contains(#"<button type="submit">Accept<span class="visually-hidden"> Eleanor Whitfield"#))
            #expect(page.text.contains("Schedule Walter Brandt with an arrival estimate"))
            #expect(!page.text.contains(">On scene<"))
            #expect(page.text.contains(#"name="expected" value="requested""#))
            #expect(
                page.text.contains(#"data-live-fragment="/board/windows?market=\#(F.denver.wire)&amp;date=2026-12-01""#)
            )
            #expect(fetches.withLockedValue { $0 } == 1)
            let audit = try #require(try await console.audit("board.viewed").first)
            #expect(audit.decisionID != nil && audit.outcome == "success")
            #expect(audit.careRequestIDs.contains(F.booked.wire) && audit.careRequestIDs.contains(F.unscheduled.wire))
        }
    }

    @Test("without a market the board opens the dispatcher's first market by name, today")
    func defaultMarket() async throws {
        let (station, _) = F.station()
        try await ConsoleHarness.with(station: .stub(station)) { console in
            var dispatcher = StaffMember.dispatcher
            dispatcher.markets = .only([F.denver])
            let page = try await console.signIn(as: dispatcher).get("/board")
            #expect(page.status == .ok)
            #expect(page.text.contains("(today)"))
            #expect(!page.text.contains("Boulder"))
            // A market outside the dispatcher's is unknown to them.
            let other = try await console.signIn(as: dispatcher).get("/board?market=\(F.boulder.wire)")
            #expect(other.status == .notFound)
        }
    }

    @Test("a move reaches Station with the status the dispatcher saw, and the board comes back")
    func moveSendsExpectedStatus() async throws {
        let (station, _) = F.station()
        let sent = F.record(station, "changeCareRequestStatus", json: F.movedCareRequest)
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let browser = try await console.signIn(as: .dispatcher)
            let moved = try await browser.post(
                "/board/requests/\(F.booked.wire)/move", F.moveForm("accept", expected: "requested"))
            #expect(moved.status == .seeOther)
            #expect(moved.location == "/board?market=\(F.denver.wire)&date=2026-12-01#request-\(F.booked.wire)")
            let body = try #require(F.objects(sent).first)
            #expect(body["to"] as? String == "accepted" && body["expected_status"] as? String == "requested")
            #expect(try await browser.follow(moved).text.contains("Moved to Accepted."))
            let audit = try #require(try await console.audit("board.moved").first)
            #expect(audit.outcome == "success" && audit.careRequestIDs == F.booked.wire)
            let tracked = try #require(await console.analytics.tracked.first)
            #expect(tracked.event == "Visit Status Changed" && tracked.userId == StaffMember.dispatcher.id)
            #expect(tracked.property(.status) == "accepted" && tracked.property(.careRequestID) == F.booked.wire)
            #expect(tracked.partnerID == TriageFixtures.partner.wire)
        }
    }

    @Test("scheduling sends the arrival estimate in the market's time; without one nothing is sent")
    func scheduleNeedsAnEstimate() async throws {
        let (station, _) = F.station()
        let sent = F.record(station, "changeCareRequestStatus", json: F.movedCareRequest)
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let browser = try await console.signIn(as: .dispatcher)
            let target = "/board/requests/\(F.unscheduled.wire)/move"
            let missing = try await browser.post(
                target, F.moveForm("schedule", expected: "accepted", ["eta_date": "2026-12-01", "eta_start": "10:00"]))
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.text.contains("Enter the latest arrival as HH:MM."))
            #expect(missing.text.contains(#"value="10:00""#))
            #expect(F.objects(sent).isEmpty)
            let scheduled = try await browser.post(
                target,
                F.moveForm(
                    "schedule", expected: "accepted",
                    ["eta_date": "2026-12-01", "eta_start": "09:00", "eta_end": "10:30"]))
            #expect(scheduled.status == .seeOther)
            let eta = try #require(F.objects(sent).first?["eta"] as? [String: String])
            // 09:00 in Denver on Dec 1 is 16:00 UTC.
            #expect(
                eta["start"].flatMap { try? Date($0, strategy: .iso8601) } == F.window.start.addingTimeInterval(3600))
            #expect(eta["end"].flatMap { try? Date($0, strategy: .iso8601) } == F.window.start.addingTimeInterval(9000))
        }
    }

    @Test("a request someone else moved meanwhile: Station's words and the fresh board")
    func conflictShowsWhatHappened() async throws {
        let (station, fetches) = F.station()
        _ = F.record(
            station, "changeCareRequestStatus", status: .conflict,
            json: F.json([
                "type": "https://selfscheduling.example/problems/status-conflict", "title": "Status conflict",
                "status": 409, "detail": "Dee Dispatcher moved it to on_route at 10:42",
            ]))
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let page = try await console.signIn(as: .dispatcher).post(
                "/board/requests/\(F.booked.wire)/move", F.moveForm("accept", expected: "requested"))
            #expect(page.status == .conflict)
            #expect(page.text.contains(#"role="alert""#))
            #expect(page.text.contains("Dee Dispatcher moved it to on_route at 10:42"))
            #expect(page.text.contains("1 of 4 places booked"))
            #expect(fetches.withLockedValue { $0 } == 1)
            #expect(try await console.audit("board.moved").first?.outcome == "failed")
        }
    }

    @Test("archiving needs a reason, which reaches Station")
    func archiveNeedsAReason() async throws {
        let (station, _) = F.station()
        let sent = F.record(station, "changeCareRequestStatus", json: F.movedCareRequest)
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let browser = try await console.signIn(as: .dispatcher)
            let target = "/board/requests/\(F.booked.wire)/move"
            let missing = try await browser.post(target, F.moveForm("archive", expected: "requested"))
            #expect(missing.status == .unprocessableEntity && missing.text.contains("Say why the request is archived."))
            let archived = try await browser.post(
                target, F.moveForm("archive", expected: "requested", ["reason": "Duplicate request"]))
            #expect(archived.status == .seeOther)
            #expect(F.objects(sent).first?["reason"] as? String == "Duplicate request")
        }
    }

    @Test("reducing a window below its bookings is refused with the requests it would drop")
    func capacityRefusalListsAffected() async throws {
        let (station, _) = F.station()
        let sent = F.record(
            station, "setWindowCapacity", status: .conflict,
            json: F.json([
                "type": "https://selfscheduling.example/problems/capacity-below-bookings", "title": "Booked",
                "status": 409, "detail": "1 request is booked in this window.",
                "affected_care_requests": [F.booked.wire],
            ]))
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let browser = try await console.signIn(as: .dispatcher)
            let form = [
                "market": F.denver.wire, "date": "2026-12-01", "window_start": F.iso(F.window.start), "places": "0",
            ]
            let page = try await browser.post("/board/capacity", form)
            #expect(page.status == .conflict)
            #expect(page.text.contains("1 request is booked in this window."))
            #expect(page.text.contains("Booked in this window:</p><ul><li>Eleanor Whitfield</li>"))
            let body = try #require(F.objects(sent).first)
            #expect(body["capacity"] as? Int == 0)
            let bad = try await browser.post("/board/capacity", form.merging(["places": "101"]) { $1 })
            #expect(bad.status == .unprocessableEntity && bad.text.contains("from 0 (closed) to 100"))
            #expect(F.objects(sent).count == 1)
        }
    }

    @Test("the live fragment is the windows section alone, audited like the page")
    func windowsFragment() async throws {
        let (station, _) = F.station()
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let fragment = try await console.signIn(as: .dispatcher).get(
                "/board/windows?market=\(F.denver.wire)&date=2026-12-01")
            #expect(fragment.status == .ok)
            #expect(fragment.text.hasPrefix(#"<div id="board-windows" data-live-any"#))
            #expect(!fragment.text.contains("<html"))
            #expect(fragment.text.contains("Eleanor Whitfield"))
            #expect(try await console.audit("board.viewed").count == 1)
        }
    }

    @Test("only dispatchers: a nurse gets 403 for the board and its moves")
    func nonDispatcherIsForbidden() async throws {
        try await ConsoleHarness.with(station: .stub(StubTransport("Station"))) { console in
            let nurse = try await console.signIn(as: .nurse)
            #expect(try await nurse.get("/board").status == .forbidden)
            let move = try await nurse.post(
                "/board/requests/\(F.booked.wire)/move", F.moveForm("accept", expected: "requested"))
            #expect(move.status == .forbidden)
        }
    }
}
