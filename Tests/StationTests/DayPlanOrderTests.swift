import Foundation
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

@Suite("Dispatch planning in Station: putting a stop in order by hand")
struct DayPlanOrderTests {
    @Test(
        "on a day following accepted routes a stop moves to another place in its route when the team can make it; an order missing a window is refused and nothing changes; before acceptance, out of range, unknown: 4xx"
    )
    func ordersAStop() async throws {
        try await StationHarness.with { station in
            let (market, team, alpine) = try await DayPlanTests.boulderDay(station, capacity: 3)
            let windows = try await DayPlanTests.windows(station, market, plus: 2)
            // Two visits in the first window, one in the second.
            let booked = try await DayPlanTests.book(station, alpine, in: [windows[0], windows[0], windows[1]])
            let day = try Fixtures.denverDay(plus: 2)
            let dispatcher = try await station.dispatcher(name: "Dee Dispatcher")
            let planPath = "/v1/staff/markets/\(market)/plan?date=\(day)"
            func plan() async throws -> [String: Any] {
                let plan = try await station.send(.GET, planPath, token: dispatcher)
                #expect(plan.status == .ok, "\(plan.text)")
                return plan.object
            }
            func stops(_ plan: [String: Any]) -> [String] {
                ((plan["routes"] as? [[String: Any]])?.first?["stops"] as? [[String: Any]] ?? [])
                    .compactMap { $0["care_request_id"] as? String }
            }
            func order(_ id: String, _ position: Any) async throws -> TestingHTTPResponse {
                try await station.send(
                    .PUT, "/v1/staff/care-requests/\(id)/route-position", token: dispatcher,
                    body: ["position": position])
            }

            let notYet = try await order(booked[1], 0)
            #expect(notYet.status == .conflict && notYet.text.contains("plan-not-accepted"), "\(notYet.text)")

            let proposed = try await plan()
            let accepted = try await station.send(
                .POST, "/v1/staff/markets/\(market)/plan/accept", token: dispatcher,
                body: ["date": day, "version": try #require(proposed["version"] as? String)])
            #expect(accepted.status == .ok, "\(accepted.text)")
            let first = stops(try await plan())
            try #require(first.count == 3)
            #expect(first[2] == booked[2], "the second window's visit comes last")

            // The two visits of the first window change places: the team can make both inside it.
            let swapped = try await order(first[1], 0)
            #expect(swapped.status == .ok, "\(swapped.text)")
            #expect(swapped.object["position"] as? Int == 0)
            #expect(swapped.object["care_team_id"] as? String == team)
            let now = try await plan()
            #expect(stops(now) == [first[1], first[0], first[2]])
            #expect(
                (now["follows"] as? [String: Any])?["accepted_by"] as? String == "Dee Dispatcher",
                "the routes keep who accepted them")
            let f = ISO8601DateFormatter()
            let startsAt = try #require((swapped.object["starts_at"] as? String).flatMap(f.date(from:)))
            let shown = ((now["routes"] as? [[String: Any]])?.first?["stops"] as? [[String: Any]])?.first
            #expect((shown?["starts_at"] as? String).flatMap(f.date(from:)) == startsAt)
            #expect(startsAt >= windows[0].0 && startsAt <= windows[0].1)

            // The second window's visit first would make both first-window visits miss their window: refused.
            let refused = try await order(first[2], 0)
            #expect(refused.status == .conflict && refused.text.contains("move-breaks-plan"), "\(refused.text)")
            #expect(refused.text.contains("In that order"), "\(refused.text)")
            #expect(stops(try await plan()) == [first[1], first[0], first[2]], "nothing changed")

            let outOfRange = try await order(first[0], 3)
            #expect(outOfRange.status == .unprocessableEntity && outOfRange.problemFields == ["position"])
            #expect(outOfRange.text.contains("from 0 to 2"), "\(outOfRange.text)")
            let negative = try await order(first[0], -1)
            #expect(negative.status == .unprocessableEntity && negative.problemFields == ["position"])
            let notANumber = try await order(first[0], "first")
            #expect(notANumber.status == .badRequest || notANumber.status == .unprocessableEntity, "\(notANumber.text)")
            let unknown = try await order(UUID().uuidString, 0)
            #expect(unknown.status == .notFound)
        }
    }
}
