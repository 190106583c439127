import ConsoleDomain
import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import OpenAPIRuntime
import Testing
import Vapor
import Vocabulary

@testable import Console

/// The proposed routes page of a day that follows accepted routes: what the search of the whole day in the
/// background found, and stops put earlier or later by hand.
@Suite("Console proposed routes, once accepted")
struct BoardPlanFollowingTests {
    typealias F = BoardFixtures
    typealias Page = BoardPlanPageTests

    @Test(
        "a plan following accepted routes says what Station's search of the whole day found: searching, nothing better, or a better plan by how much"
    )
    func backgroundSearch() async throws {
        let cases: [([String: Any], heading: String, says: String)] = [
            (["state": "searching"], "Following the accepted plan", "searching the whole day in the background"),
            (["state": "no_better_plan"], "Following the accepted plan", "found no better plan than this one"),
            (
                ["state": "better_plan", "travel_seconds_saved": 1_500, "more_planned": 0], "A better plan was found",
                "found a better plan: it travels 25 min less. Plan the day afresh to see it."
            ),
            (
                ["state": "better_plan", "travel_seconds_saved": -600, "more_planned": 2], "A better plan was found",
                "found a better plan: it fits 2 more visits and travels 10 min more to do so."
            ),
        ]
        for (search, heading, says) in cases {
            let (station, _) = F.station()
            var plan = try #require(try JSONSerialization.jsonObject(with: Data(Page.plan().utf8)) as? [String: Any])
            plan["follows"] = [
                "accepted_at": F.iso(F.window.start.addingTimeInterval(-7200)), "accepted_by": "Dee Dispatcher",
            ]
            plan["search"] = search
            station.stub("getDayPlan", json: F.json(plan))
            try await ConsoleHarness.with(station: .stub(station)) { console in
                let browser = try await console.signIn(as: .dispatcher)
                let page = try await browser.get("/board/plan?market=\(F.denver.wire)&date=2026-12-01")
                #expect(page.status == .ok)
                #expect(page.text.contains("<h3 id=\"follows-heading\">\(heading)</h3>"), "\(search)")
                #expect(page.text.contains(says), "\(search): \(page.text)")
            }
        }
    }

    /// The plan with a second stop (the request the fixture leaves unplanned) after the first; following accepted
    /// routes when `follows`.
    static func twoStops(follows: Bool) throws -> String {
        var plan = try #require(try JSONSerialization.jsonObject(with: Data(Page.plan().utf8)) as? [String: Any])
        var routes = try #require(plan["routes"] as? [[String: Any]])
        var stops = try #require(routes[0]["stops"] as? [[String: Any]])
        var second = stops[0]
        second["care_request_id"] = F.unscheduled.wire
        second["pinned"] = false
        stops.append(second)
        routes[0]["stops"] = stops
        plan["routes"] = routes
        plan["unplanned"] = [[String: Any]]()
        if follows {
            plan["follows"] = [
                "accepted_at": F.iso(F.window.start.addingTimeInterval(-7200)), "accepted_by": "Dee Dispatcher",
            ]
        }
        return F.json(plan)
    }

    @Test(
        "on a day following accepted routes a stop moves earlier or later (no button past either end), Station is sent the position and the page says where it starts; a refusal says what breaks; a day planned afresh has no such buttons"
    )
    func ordersAStop() async throws {
        let page = "/board/plan?market=\(F.denver.wire)&date=2026-12-01"
        let form = ["market": F.denver.wire, "date": "2026-12-01"]
        func buttons(_ text: String, _ id: UUID) -> Int {
            text.components(separatedBy: "/board/plan/requests/\(id.uuidString.lowercased())/position\"").count - 1
        }
        do {
            let (station, _) = F.station()
            station.stub("getDayPlan", json: try Self.twoStops(follows: false))
            try await ConsoleHarness.with(station: .stub(station)) { console in
                let browser = try await console.signIn(as: .dispatcher)
                let shown = try await browser.get(page)
                #expect(shown.status == .ok)
                #expect(!shown.text.contains("/position\""), "the planner orders the stops until the plan is accepted")
            }
        }
        do {
            let (station, _) = F.station()
            station.stub("getDayPlan", json: try Self.twoStops(follows: true))
            let sent = F.record(
                station, "orderVisit",
                json: F.json([
                    "care_team_id": Page.early, "position": 0,
                    "starts_at": F.iso(F.window.start.addingTimeInterval(900)),
                    "travel_change_seconds": 300,
                ]))
            try await ConsoleHarness.with(station: .stub(station)) { console in
                let browser = try await console.signIn(as: .dispatcher)
                let shown = try await browser.get(page)
                #expect(buttons(shown.text, F.booked.rawValue) == 1 && buttons(shown.text, F.unscheduled.rawValue) == 1)
                #expect(shown.text.contains("Earlier: Walter Brandt's visit"), "\(shown.text)")
                #expect(!shown.text.contains("Later: Walter Brandt"))
                #expect(shown.text.contains("Later: "))

                let target = "/board/plan/requests/\(F.unscheduled.wire)/position"
                let bad = try await browser.post(target, form.merging(["position": "first"]) { $1 })
                #expect(bad.status == .unprocessableEntity && bad.text.contains("Choose Earlier or Later"))
                #expect(F.objects(sent).isEmpty)

                let moved = try await browser.post(target, form.merging(["position": "0"]) { $1 })
                #expect(moved.status == .seeOther)
                #expect(F.objects(sent).first?["position"] as? Int == 0)
                let after = try await browser.get(page)
                #expect(
                    after.text.contains(
                        "The visit is now stop 1 of its team&#39;s route; it starts at 08:15; the day&#39;s travel grows by 5 min. Accept the plan to send the new estimates."
                    ), "\(after.text)")
                let audit = try #require(try await console.audit("board.visit_ordered").first)
                #expect(audit.outcome == "success" && audit.careRequestIDs.contains(F.unscheduled.wire))
            }
        }
        do {
            let (station, _) = F.station()
            station.stub("getDayPlan", json: try Self.twoStops(follows: true))
            _ = F.record(
                station, "orderVisit", status: .conflict,
                json: F.json([
                    "type": "https://selfscheduling.example/problems/move-breaks-plan", "title": "Conflict",
                    "status": 409,
                    "detail":
                        "In that order, Denver Early cannot make every one of its visits inside its window and within its shift. Nothing was changed.",
                ]))
            try await ConsoleHarness.with(station: .stub(station)) { console in
                let browser = try await console.signIn(as: .dispatcher)
                let refused = try await browser.post(
                    "/board/plan/requests/\(F.unscheduled.wire)/position", form.merging(["position": "0"]) { $1 })
                #expect(refused.status == .conflict)
                #expect(refused.text.contains("In that order, Denver Early cannot make every one"), "\(refused.text)")
                #expect(try await console.audit("board.visit_ordered").first?.outcome == "failed")
            }
        }
    }
}
