import DispatchPlanning
import Foundation
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Station

@Suite("Dispatch planning in Station: the search of the whole day in the background")
struct DayPlanSearchTests {
    @Test(
        "a day following accepted routes is searched again in the background: no better plan while the accepted one is the best; a team added near the visits and a booking make one, offered and never put in place; planning again gives exactly it"
    )
    func offersABetterPlan() async throws {
        try await StationHarness.with { station in
            // The market's only team starts in Longmont; every visit is in Boulder.
            let created = try await station.admin(
                .POST, "/v1/admin/markets", json: AdminFixtures.market(zips: ["80301", "80501"], capacity: 3))
            let market = try #require(created.object["id"] as? String, "\(created.text)")
            func team(_ name: String, base: String) async throws -> String {
                let made = try await station.admin(
                    .POST, "/v1/admin/markets/\(market)/care-teams",
                    json: AdminFixtures.json([
                        "name": name, "base_zip": base, "service_lines": ["acute_care"],
                        "shifts": DayPlanTests.everyDay("07:00", "20:00"),
                    ]))
                #expect(made.status == .created, "\(made.text)")
                return try #require(made.object["id"] as? String)
            }
            let longmont = try await team("Longmont", base: "80501")
            let alpine = try await station.alpine(markets: [market])
            let windows = try await DayPlanTests.windows(station, market, plus: 2)
            try await DayPlanTests.book(station, alpine, in: windows.prefix(3))
            let day = try Fixtures.denverDay(plus: 2)
            let dispatcher = try await station.dispatcher(name: "Dee Dispatcher")
            let planPath = "/v1/staff/markets/\(market)/plan?date=\(day)"
            func plan() async throws -> [String: Any] {
                let plan = try await station.send(.GET, planPath, token: dispatcher)
                #expect(plan.status == .ok, "\(plan.text)")
                return plan.object
            }
            /// The plan once the background search for the day's bookings as they are has ended.
            func searched() async throws -> [String: Any] {
                for _ in 0..<200 {
                    let current = try await plan()
                    if (current["search"] as? [String: Any])?["state"] as? String != "searching" { return current }
                    try await Task.sleep(for: .milliseconds(50))
                }
                Issue.record("the background search did not end within ten seconds")
                return try await plan()
            }
            func travel(_ plan: [String: Any]) -> Int {
                (plan["routes"] as? [[String: Any]] ?? []).reduce(0) { $0 + ($1["travel_seconds"] as? Int ?? 0) }
            }
            func stops(_ plan: [String: Any]) -> [String: [String]] {
                Dictionary(
                    (plan["routes"] as? [[String: Any]] ?? []).map { route in
                        (
                            route["team_id"] as? String ?? "",
                            (route["stops"] as? [[String: Any]] ?? []).compactMap { $0["care_request_id"] as? String }
                        )
                    }, uniquingKeysWith: { a, _ in a })
            }

            let proposed = try await plan()
            #expect(proposed["search"] == nil, "a day planned afresh is its own best plan: nothing is searched")
            let version = try #require(proposed["version"] as? String)
            let accepted = try await station.send(
                .POST, "/v1/staff/markets/\(market)/plan/accept", token: dispatcher,
                body: ["date": day, "version": version])
            #expect(accepted.status == .ok, "\(accepted.text)")
            let same = try await searched()
            #expect((same["search"] as? [String: Any])?["state"] as? String == "no_better_plan", "\(same)")
            let acceptedStops = stops(same)
            #expect(acceptedStops[longmont]?.count == 3)

            // A team based in Boulder now works the day, and one more visit is booked: the accepted stops stay with
            // Longmont in their order, while a search of the whole day gives every visit to the Boulder team.
            let boulder = try await team("Boulder", base: "80301")
            let late = try await station.book(alpine.patient, of: alpine.partner, zip: "80301", window: windows[0])
            #expect(late.status == .created, "\(late.text)")
            let lateID = try #require(late.object["id"] as? String)
            let offered = try await searched()
            let search = try #require(offered["search"] as? [String: Any], "\(offered)")
            #expect(search["state"] as? String == "better_plan", "\(search)")
            #expect(search["more_planned"] as? Int == 0)
            let saved = try #require(search["travel_seconds_saved"] as? Int)
            #expect(saved > 60, "the Longmont team's drive to Boulder and back is saved")
            #expect(
                stops(offered)[longmont]?.filter { $0 != lateID } == acceptedStops[longmont],
                "offered, not put in place")
            #expect(offered["version"] as? String != version)

            // Planning the day again gives the plan the search found.
            let again = try await station.send(
                .DELETE, "/v1/staff/markets/\(market)/plan/accepted?date=\(day)", token: dispatcher)
            #expect(again.status == .noContent, "\(again.text)")
            let afresh = try await plan()
            #expect(afresh["search"] == nil && afresh["follows"] == nil)
            #expect(abs(travel(offered) - travel(afresh) - saved) <= 2, "\(travel(offered)) \(travel(afresh)) \(saved)")
            #expect(stops(afresh)[boulder]?.count == 4, "\(stops(afresh))")
        }
    }

    @Test(
        "a visit rescheduled away from a day following accepted routes starts a search of that day too, before anyone reads its plan"
    )
    func searchesTheDayARescheduleLeaves() async throws {
        try await StationHarness.with { station in
            let (market, _, alpine) = try await DayPlanTests.boulderDay(station, capacity: 3)
            let windows = try await DayPlanTests.windows(station, market, plus: 2)
            let booked = try await DayPlanTests.book(station, alpine, in: windows.prefix(3))
            let day = try Fixtures.denverDay(plus: 2)
            let dispatcher = try await station.dispatcher(name: "Dee Dispatcher")
            let planPath = "/v1/staff/markets/\(market)/plan?date=\(day)"
            let proposed = try await station.send(.GET, planPath, token: dispatcher)
            let accepted = try await station.send(
                .POST, "/v1/staff/markets/\(market)/plan/accept", token: dispatcher,
                body: ["date": day, "version": try #require(proposed.object["version"] as? String)])
            #expect(accepted.status == .ok, "\(accepted.text)")
            // Reading the accepted day starts its first search.
            #expect(try await station.send(.GET, planPath, token: dispatcher).status == .ok)

            let searches = try #require(station.app.backgroundPlanSearch)
            let key = BackgroundPlanSearch.Key(
                market: MarketID(rawValue: try #require(UUID(uuidString: market))),
                day: try #require(LocalDate(iso: day)))
            let before = try #require(await searches.searchedProblem(of: key))
            let later = try #require(try await DayPlanTests.windows(station, market, plus: 3).first)
            let moved = try await station.reschedule(booked[0], to: later, scope: ["partner_id": alpine.partner])
            #expect(moved.status == .ok, "\(moved.text)")
            var after = before
            for _ in 0..<200 where after == before {
                try await Task.sleep(for: .milliseconds(50))
                after = try #require(await searches.searchedProblem(of: key))
            }
            #expect(after != before, "the day the visit left is searched again for its two visits left")
        }
    }

    @Test(
        "a day's whole-day plan is kept for its bookings as they are: the same problem reuses it, another does not; planning afresh keeps it but stops bookings from starting searches"
    )
    func keepsTheDaysPlan() async throws {
        func problem(_ visits: Int) -> PlanningProblem {
            PlanningProblem(
                visits: (1...visits).map {
                    PlanningVisit(id: "v\($0)", location: $0, window: 0...36_000, duration: 600)
                },
                teams: [PlanningTeam(id: "t", base: 0, shift: 0...36_000)],
                travel: TravelMatrix(count: visits + 1) { from, to in Double(abs(from - to) * 300) })
        }
        let searches = BackgroundPlanSearch()
        let key = BackgroundPlanSearch.Key(
            market: MarketID(rawValue: UUID()), day: try #require(LocalDate(iso: "2026-12-04")))
        let span = DateInterval(start: Date(timeIntervalSince1970: 1_796_360_400), duration: 86_400)
        let three = problem(3)
        #expect(await searches.plan(of: key, problem: three) == nil)
        let planned = try await StationStore.plan(three).plan
        await searches.remember(key, span: span, problem: three, plan: planned)
        let kept = try #require(await searches.plan(of: key, problem: three))
        #expect(kept.routes.map { $0.visits.map(\.visit) } == planned.routes.map { $0.visits.map(\.visit) })
        #expect(await searches.plan(of: key, problem: problem(4)) == nil, "another booking: searched again")
        #expect(await searches.followedDay(of: key.market, at: span.start + 3_600) == nil, "a fresh day's plan")

        // Following accepted routes: the plan's search is done already; bookings on the day find it.
        #expect(await searches.state(of: key, span: span, problem: three) == .done(.init(planned)))
        #expect(await searches.followedDay(of: key.market, at: span.start + 3_600) == key.day)
        #expect(await searches.followedDay(of: key.market, at: span.end + 3_600) == nil)
        await searches.forget(key)
        #expect(await searches.followedDay(of: key.market, at: span.start + 3_600) == nil)
        #expect(await searches.plan(of: key, problem: three) != nil, "planning afresh shows the plan kept")
    }

    @Test("the offer compares the search with the plan following the accepted routes")
    func offerRule() {
        typealias Outcome = BackgroundPlanSearch.Outcome
        let following = Outcome(travel: 3_600, planned: 10)
        #expect(PlanSearchOffer(.searching, following: following) == .searching)
        #expect(PlanSearchOffer(.done(nil), following: following) == .noBetterPlan)
        #expect(PlanSearchOffer(.done(following), following: following) == .noBetterPlan)
        #expect(PlanSearchOffer(.done(Outcome(travel: 3_559, planned: 10)), following: following) == .noBetterPlan)
        #expect(
            PlanSearchOffer(.done(Outcome(travel: 3_000, planned: 10)), following: following)
                == .betterPlan(travelSaved: 600, morePlanned: 0))
        #expect(
            PlanSearchOffer(.done(Outcome(travel: 4_000, planned: 11)), following: following)
                == .betterPlan(travelSaved: -400, morePlanned: 1))
        #expect(PlanSearchOffer(.done(Outcome(travel: 100, planned: 9)), following: following) == .noBetterPlan)
    }
}
