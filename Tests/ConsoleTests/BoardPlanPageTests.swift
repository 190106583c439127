import ConsoleDomain
import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import OpenAPIRuntime
import Testing
import Vapor
import Vocabulary

@testable import Console

/// The proposed routes page: the planner's proposal for the board's day, named from the board's requests.
@Suite("Console proposed routes")
struct BoardPlanPageTests {
    typealias F = BoardFixtures

    static let early = "3e000000-0000-4000-8000-0000000000e1"
    static let late = "3e000000-0000-4000-8000-0000000000e2"

    static func plan() -> String {
        let team = early
        return F.json([
            "market_id": F.denver.wire, "date": "2026-12-01", "version": "v-seen",
            "routes": [
                [
                    "team_id": team, "team_name": "Denver Early",
                    "leaves_at": F.iso(F.window.start.addingTimeInterval(-3600)),
                    "returns_at": F.iso(F.window.start.addingTimeInterval(4 * 3600)), "travel_seconds": 5_460,
                    "stops": [
                        [
                            "care_request_id": F.booked.wire,
                            "arrives_at": F.iso(F.window.start.addingTimeInterval(-600)),
                            "starts_at": F.iso(F.window.start), "slack_seconds": 2_700, "extra_minutes": 15,
                            "pinned": true,
                            "estimate": [
                                "start": F.iso(F.window.start), "end": F.iso(F.window.start.addingTimeInterval(1800)),
                            ],
                        ]
                    ],
                ],
                [
                    "team_id": late, "team_name": "Denver Late",
                    "leaves_at": F.iso(F.window.start), "returns_at": F.iso(F.window.start), "travel_seconds": 0,
                    "stops": [],
                ],
            ],
            "unplanned": [["care_request_id": F.unscheduled.wire, "reason": "no_room_left", "extra_minutes": 20]],
        ])
    }

    @Test("each team's stops in order with start, wait and slack, by patient name; what was not planned says why")
    func showsThePlan() async throws {
        let (station, _) = F.station()
        station.stub("getDayPlan", json: Self.plan())
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let browser = try await console.signIn(as: .dispatcher)
            let board = try await browser.get("/board?market=\(F.denver.wire)&date=2026-12-01")
            #expect(board.text.contains(#"href="/board/plan?market=\#(F.denver.wire)&amp;date=2026-12-01""#))
            let page = try await browser.get("/board/plan?market=\(F.denver.wire)&date=2026-12-01")
            #expect(page.status == .ok, "\(page.text)")
            #expect(page.text.contains("Denver Early") && page.text.contains("07:00–12:00 · travel 1 h 31 min"))
            #expect(
                page.text.contains(
                    "<td>1</td><td>Eleanor Whitfield</td><td>Acute care</td><td>08:00–10:00</td><td>Requested</td><td>08:00</td><td>08:00–08:30</td><td>10 min</td><td>45 min</td>"
                ))
            #expect(
                page.text.contains("Denver Late")
                    && page.text.contains("No stops: the team is not needed for this plan."))
            #expect(!page.text.contains("· 08:00–08:00"))
            #expect(page.text.contains("Not planned (1)") && page.text.contains("Walter Brandt"))
            #expect(page.text.contains("Every team that could make it is full around its window."))
            // Reading the plan reads the board: Policy decided and the audit names the requests shown.
            let audits = try await console.audit("board.viewed")
            #expect(audits.count == 2 && audits.allSatisfy { $0.careRequestIDs.contains(F.booked.wire) })
        }
    }

    @Test("accepting sends the version shown and says what it set; a plan changed meanwhile is shown again, fresh")
    func acceptsThePlan() async throws {
        let (station, _) = F.station()
        station.stub("getDayPlan", json: Self.plan())
        let sent = F.record(
            station, "acceptDayPlan",
            json: F.json(["scheduled": 2, "moved": 1, "unchanged": 0, "left": [F.unscheduled.wire]]))
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let browser = try await console.signIn(as: .dispatcher)
            let page = try await browser.get("/board/plan?market=\(F.denver.wire)&date=2026-12-01")
            #expect(page.text.contains(#"<input type="hidden" name="version" value="v-seen">"#))
            #expect(page.text.contains("Accepting gives each planned request its arrival estimate (1 in all)"))
            let accepted = try await browser.post(
                "/board/plan/accept", ["market": F.denver.wire, "date": "2026-12-01", "version": "v-seen"])
            #expect(accepted.status == .seeOther)
            let body = try #require(F.objects(sent).first)
            #expect(body["version"] as? String == "v-seen" && body["date"] as? String == "2026-12-01")
            let after = try await browser.get("/board/plan?market=\(F.denver.wire)&date=2026-12-01")
            #expect(
                after.text.contains(
                    "Plan accepted: 2 requests scheduled, 1 estimate moved; 1 request left as it was"))
            let audit = try #require(try await console.audit("board.plan_accepted").first)
            #expect(audit.outcome == "success" && audit.careRequestIDs.contains(F.unscheduled.wire))
        }
    }

    @Test("a visit marked longer goes to Station with the minutes; the flash says what moved; bad minutes stay here")
    func runningLate() async throws {
        let (station, _) = F.station()
        station.stub("getDayPlan", json: Self.plan())
        let sent = F.record(
            station, "extendVisit",
            json: F.json([
                "extra_minutes": 45, "moved": [F.unscheduled.wire],
                "unplanned": [["care_request_id": F.booked.wire, "reason": "no_room_left", "extra_minutes": 0]],
            ]))
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let browser = try await console.signIn(as: .dispatcher)
            let page = try await browser.get("/board/plan?market=\(F.denver.wire)&date=2026-12-01")
            #expect(page.text.contains(#"id="extra-\#(F.booked.wire)" name="extra_minutes""#))
            #expect(page.text.contains(#"class="minutes" value="15""#))
            let target = "/board/plan/requests/\(F.booked.wire)/extra-time"
            let form = ["market": F.denver.wire, "date": "2026-12-01"]
            let bad = try await browser.post(target, form.merging(["extra_minutes": "an hour"]) { $1 })
            #expect(bad.status == .unprocessableEntity && bad.text.contains("from 0 to 240"))
            #expect(F.objects(sent).isEmpty)
            let late = try await browser.post(target, form.merging(["extra_minutes": "45"]) { $1 })
            #expect(late.status == .seeOther)
            #expect(F.objects(sent).first?["extra_minutes"] as? Int == 45)
            let after = try await browser.get("/board/plan?market=\(F.denver.wire)&date=2026-12-01")
            #expect(
                after.text.contains(
                    "The visit runs 45 minutes longer; 1 estimate moved, and their partners and patients are told."))
            #expect(after.text.contains("1 request of the day is not planned: see Not planned."))
            #expect(after.text.contains("It was marked as running 20 minutes longer."))
            #expect(after.text.contains("Take the extra time back"))
            let audit = try #require(try await console.audit("board.visit_extended").first)
            #expect(audit.outcome == "success" && audit.careRequestIDs.contains(F.unscheduled.wire))
        }
    }

    @Test(
        "a stop moves to the team chosen (pinned there), Planner's choice takes the pin off; a move that breaks the plan says what breaks, naming the visits"
    )
    func movesAStop() async throws {
        let (station, _) = F.station()
        station.stub("getDayPlan", json: Self.plan())
        let sent = F.record(
            station, "pinVisit",
            json: F.json([
                "care_team_id": Self.late, "starts_at": F.iso(F.window.start.addingTimeInterval(1800)),
                "travel_change_seconds": 840,
            ]))
        let unpinned = NIOLockedValueBox(0)
        station.stub("unpinVisit") { _, _ in
            unpinned.withLockedValue { $0 += 1 }
            var response = HTTPResponse(status: .ok)
            response.headerFields[.contentType] = "application/json"
            return (response, HTTPBody(F.json(["travel_change_seconds": -840])))
        }
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let browser = try await console.signIn(as: .dispatcher)
            let page = try await browser.get("/board/plan?market=\(F.denver.wire)&date=2026-12-01")
            #expect(page.text.contains(#"<span class="chip">Pinned</span>"#))
            #expect(
                page.text.contains(
                    #"<select id="team-\#(F.booked.wire)" name="team"><option value="">Planner&#39;s choice</option><option value="\#(Self.early)" selected>Denver Early</option><option value="\#(Self.late)">Denver Late</option></select>"#
                ))
            // The request not planned can be tried on a team too.
            #expect(page.text.contains(#"id="team-\#(F.unscheduled.wire)""#))
            let target = "/board/plan/requests/\(F.booked.wire)/team"
            let form = ["market": F.denver.wire, "date": "2026-12-01"]
            let bad = try await browser.post(target, form.merging(["team": "the late one"]) { $1 })
            #expect(bad.status == .unprocessableEntity && bad.text.contains("Choose one of the day&#39;s care teams"))
            #expect(F.objects(sent).isEmpty)

            let moved = try await browser.post(target, form.merging(["team": Self.late]) { $1 })
            #expect(moved.status == .seeOther)
            #expect(F.objects(sent).first?["care_team_id"] as? String == Self.late)
            let after = try await browser.get("/board/plan?market=\(F.denver.wire)&date=2026-12-01")
            #expect(
                after.text.contains(
                    "The visit is pinned to the team you chose; it starts at 08:30; the day&#39;s travel grows by 14 min. Accept the plan to send the new estimates."
                ), "\(after.text)")
            let audit = try #require(try await console.audit("board.visit_pinned").first)
            #expect(audit.outcome == "success" && audit.careRequestIDs.contains(F.booked.wire))

            let chosen = try await browser.post(target, form.merging(["team": ""]) { $1 })
            #expect(chosen.status == .seeOther && unpinned.withLockedValue { $0 } == 1)
            let again = try await browser.get("/board/plan?market=\(F.denver.wire)&date=2026-12-01")
            #expect(
                again.text.contains(
                    "The planner chooses this visit&#39;s team again; the day&#39;s travel shrinks by 14 min."))
            #expect(try await console.audit("board.visit_unpinned").count == 1)
        }
    }

    @Test("a pin says who made it, on a stop and on a request not planned")
    func saysWhoPinned() async throws {
        let (station, _) = F.station()
        var plan = try #require(try JSONSerialization.jsonObject(with: Data(Self.plan().utf8)) as? [String: Any])
        var routes = try #require(plan["routes"] as? [[String: Any]])
        var stops = try #require(routes[0]["stops"] as? [[String: Any]])
        stops[0]["pinned_by"] = "Dee Dispatcher"
        routes[0]["stops"] = stops
        plan["routes"] = routes
        plan["unplanned"] = [
            [
                "care_request_id": F.unscheduled.wire, "reason": "no_room_left", "extra_minutes": 0,
                "pinned_team_id": Self.late, "pinned_by": "Dan Dispatcher",
            ]
        ]
        station.stub("getDayPlan", json: F.json(plan))
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let browser = try await console.signIn(as: .dispatcher)
            let page = try await browser.get("/board/plan?market=\(F.denver.wire)&date=2026-12-01")
            #expect(page.text.contains(#"<span class="chip">Pinned by Dee Dispatcher</span>"#), "\(page.text)")
            #expect(
                page.text.contains(
                    "It is pinned to Denver Late (by Dan Dispatcher): choose Planner&#39;s choice to let any team take it."
                ), "\(page.text)")
        }
    }

    @Test("a request pinned to a team that does not work the day says so, and its choice shows the pin")
    func pinnedToAnAbsentTeam() async throws {
        let (station, _) = F.station()
        var plan = try #require(try JSONSerialization.jsonObject(with: Data(Self.plan().utf8)) as? [String: Any])
        let absent = "3e000000-0000-4000-8000-0000000000e9"
        plan["unplanned"] = [
            [
                "care_request_id": F.unscheduled.wire, "reason": "pinned_team_not_working", "extra_minutes": 0,
                "pinned_team_id": absent,
            ]
        ]
        station.stub("getDayPlan", json: F.json(plan))
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let browser = try await console.signIn(as: .dispatcher)
            let page = try await browser.get("/board/plan?market=\(F.denver.wire)&date=2026-12-01")
            #expect(
                page.text.contains(
                    "The team it is pinned to does not work this day: choose Planner&#39;s choice to let any team take it."
                ), "\(page.text)")
            #expect(page.text.contains(#"<option value="\#(absent)" selected>A team not working this day</option>"#))
            #expect(page.text.contains(#"<option value="">Planner&#39;s choice</option>"#))
        }
    }

    @Test(
        "a plan that follows accepted routes says whose and since when; planning afresh asks Station to let go of them")
    func followsAndPlansAfresh() async throws {
        let (station, _) = F.station()
        var plan = try #require(try JSONSerialization.jsonObject(with: Data(Self.plan().utf8)) as? [String: Any])
        plan["follows"] = [
            "accepted_at": F.iso(F.window.start.addingTimeInterval(-7200)), "accepted_by": "Dee Dispatcher",
        ]
        station.stub("getDayPlan", json: F.json(plan))
        let asked = NIOLockedValueBox<[String]>([])
        station.stub("planDayAgain") { request, _ in
            asked.withLockedValue { $0.append(request.path ?? "") }
            return (HTTPResponse(status: .noContent), nil)
        }
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let browser = try await console.signIn(as: .dispatcher)
            let page = try await browser.get("/board/plan?market=\(F.denver.wire)&date=2026-12-01")
            #expect(page.text.contains("This plan follows the routes Dee Dispatcher accepted on"), "\(page.text)")
            #expect(page.text.contains("Plan the whole day afresh"))
            let again = try await browser.post("/board/plan/again", ["market": F.denver.wire, "date": "2026-12-01"])
            #expect(again.status == .seeOther)
            #expect(
                asked.withLockedValue { $0 }.map {
                    $0.hasSuffix("/v1/staff/markets/\(F.denver.wire)/plan/accepted?date=2026-12-01")
                } == [true])
            let after = try await browser.get("/board/plan?market=\(F.denver.wire)&date=2026-12-01")
            #expect(after.text.contains("The whole day is planned afresh below."))
            let audit = try #require(try await console.audit("board.plan_replanned").first)
            #expect(audit.outcome == "success")
        }
    }

    @Test("a move that breaks the plan: 409, the plan again with Station's why and the patients of the visits left out")
    func refusedMove() async throws {
        let (station, _) = F.station()
        station.stub("getDayPlan", json: Self.plan())
        _ = F.record(
            station, "pinVisit", status: .conflict,
            json: F.json([
                "type": "https://selfscheduling.example/problems/move-breaks-plan", "title": "Conflict", "status": 409,
                "detail": "Moving it to Denver Late leaves 1 other visit of the day unplanned. Nothing was changed.",
                "affected_care_requests": [F.unscheduled.wire],
            ]))
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let browser = try await console.signIn(as: .dispatcher)
            let refused = try await browser.post(
                "/board/plan/requests/\(F.booked.wire)/team",
                ["market": F.denver.wire, "date": "2026-12-01", "team": Self.late])
            #expect(refused.status == .conflict)
            #expect(
                refused.text.contains(
                    "Moving it to Denver Late leaves 1 other visit of the day unplanned. Nothing was changed.</p><ul><li>Walter Brandt</li></ul>"
                ), "\(refused.text)")
            let audit = try #require(try await console.audit("board.visit_pinned").first)
            #expect(audit.outcome == "failed")
        }
    }

    @Test("a plan that changed since it was shown: 409, the fresh plan with why, nothing set")
    func staleVersionShowsTheFreshPlan() async throws {
        let (station, _) = F.station()
        station.stub("getDayPlan", json: Self.plan())
        _ = F.record(
            station, "acceptDayPlan", status: .conflict,
            json: F.json([
                "type": "https://selfscheduling.example/problems/plan-changed", "title": "Conflict", "status": 409,
                "detail": "The plan changed since it was shown. Look at the new plan and accept it again.",
            ]))
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let browser = try await console.signIn(as: .dispatcher)
            let page = try await browser.post(
                "/board/plan/accept", ["market": F.denver.wire, "date": "2026-12-01", "version": "v-old"])
            #expect(page.status == .conflict)
            #expect(page.text.contains(#"role="alert""#) && page.text.contains("The plan changed since it was shown."))
            #expect(page.text.contains(#"name="version" value="v-seen""#))
            #expect(try await console.audit("board.plan_accepted").first?.outcome == "failed")
        }
    }

    @Test("the proposed routes are a dispatcher's: a nurse is refused")
    func nurseRefused() async throws {
        let (station, _) = F.station()
        try await ConsoleHarness.with(station: .stub(station)) { console in
            let page = try await console.signIn(as: .nurse).get("/board/plan?market=\(F.denver.wire)&date=2026-12-01")
            #expect(page.status == .forbidden)
            let accept = try await console.signIn(as: .nurse).post(
                "/board/plan/accept", ["market": F.denver.wire, "date": "2026-12-01", "version": "v-seen"])
            #expect(accept.status == .forbidden)
        }
    }
}
