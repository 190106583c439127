import DispatchPlanning
import Testing

@Suite("Dispatch planner: feasible routes, reasons for what does not fit, and a plan that repeats for a seed")
struct DispatchPlannerTests {
    @Test(
        "random days: every route the planner returns passes the independent check",
        arguments: [1, 2, 3, 4] as [UInt64])
    func randomDaysAreFeasible(seed: UInt64) throws {
        let problem = randomDay(visits: 60, teams: 6, seed: seed)
        var planner = try DispatchPlanner(problem: problem)
        planner.optimise(PlannerOptions(iterations: 300, seed: seed, workers: 2))
        let plan = planner.plan
        #expect(violations(of: plan, for: problem) == [])
        #expect(plan.routes.reduce(0) { $0 + $1.visits.count } + plan.unplanned.count == 60)
        for unplanned in plan.unplanned {
            if case .noTeamWithServiceLine = unplanned.reason { Issue.record("every service line has a team") }
        }
    }

    @Test("a visit pinned to a team is made by that team or not at all; pinned to a team not in the day, it says so")
    func pinnedVisits() throws {
        var problem = randomDay(visits: 48, teams: 4, seed: 5)
        for index in stride(from: 0, to: problem.visits.count, by: 3) {
            let able = problem.teams.filter { $0.delivers(problem.visits[index]) }
            guard !able.isEmpty else { continue }
            problem.visits[index].team = able[index % able.count].id
        }
        problem.visits[1].team = "a team not working today"
        var planner = try DispatchPlanner(problem: problem)
        planner.optimise(PlannerOptions(iterations: 300, seed: 3, workers: 2))
        let plan = planner.plan
        #expect(violations(of: plan, for: problem) == [])
        var checker = plan
        var found: (Int, Int)?
        for route in checker.routes.indices where found == nil {
            if let position = checker.routes[route].visits.firstIndex(where: { stop in
                problem.visits.first { $0.id == stop.visit }?.team != nil
            }) {
                found = (route, position)
            }
        }
        let pinnedStop = try #require(found)
        // Moving a pinned stop to another team's route is what the check catches.
        let moved = checker.routes[pinnedStop.0].visits.remove(at: pinnedStop.1)
        let other = (pinnedStop.0 + 1) % checker.routes.count
        checker.routes[other].visits.append(moved)
        #expect(violations(of: checker, for: problem).contains { $0.contains("pinned to") })
        #expect(plan.unplanned.first { $0.visit == problem.visits[1].id }?.reason == .pinnedTeamAbsent)
        #expect(plan.routes.allSatisfy { !$0.visits.contains { $0.visit == problem.visits[1].id } })
        let pinnedPlanned = plan.routes.flatMap(\.visits).count { stop in
            problem.visits.first { $0.id == stop.visit }?.team != nil
        }
        #expect(pinnedPlanned >= 4, "pinned visits are planned, on their team")
    }

    @Test(
        "a plan that follows accepted routes keeps each team's stops in order, drops what is gone and places new visits without moving the rest"
    )
    func followsAcceptedRoutes() throws {
        let problem = randomDay(visits: 40, teams: 4, seed: 21)
        var planner = try DispatchPlanner(problem: problem)
        planner.optimise(PlannerOptions(iterations: 200, seed: 2, workers: 1))
        let accepted = planner.plan
        let routes = Dictionary(uniqueKeysWithValues: accepted.routes.map { ($0.team, $0.visits.map(\.visit)) })

        // The same day: the same routes, with no search.
        let same = try DispatchPlanner(problem: problem, following: routes).plan
        #expect(same.routes.map { $0.visits.map(\.visit) } == accepted.routes.map { $0.visits.map(\.visit) })
        #expect(violations(of: same, for: problem) == [])

        // A visit cancelled, a visit booked: the others keep their team and order.
        let gone = try #require(accepted.routes.first { !$0.visits.isEmpty }?.visits.first?.visit)
        var changed = problem
        changed.visits.removeAll { $0.id == gone }
        var late = try #require(problem.visits.first { $0.id != gone })
        late.id = "booked-late"
        changed.visits.append(late)
        let following = try DispatchPlanner(problem: changed, following: routes).plan
        #expect(violations(of: following, for: changed) == [])
        for route in following.routes {
            let kept = route.visits.map(\.visit).filter { $0 != "booked-late" }
            #expect(kept == (routes[route.team] ?? []).filter { $0 != gone }, "team \(route.team) keeps its order")
        }
        let placed = following.routes.contains { $0.visits.contains { $0.visit == "booked-late" } }
        #expect(placed || following.unplanned.contains { $0.visit == "booked-late" })
        #expect(!following.routes.contains { $0.visits.contains { $0.visit == gone } })
    }

    @Test("the independent check itself catches a route in the wrong order, a missing visit and a doubled one")
    func checkerCatchesBrokenPlans() throws {
        let problem = randomDay(visits: 40, teams: 4, seed: 11)
        var planner = try DispatchPlanner(problem: problem)
        planner.optimise(PlannerOptions(iterations: 50, seed: 1, workers: 1))
        let plan = planner.plan
        #expect(violations(of: plan, for: problem) == [])
        let busiest = try #require(
            plan.routes.indices.max { plan.routes[$0].visits.count < plan.routes[$1].visits.count })
        #expect(plan.routes[busiest].visits.count > 2)

        var reversed = plan
        reversed.routes[busiest].visits.reverse()
        #expect(!violations(of: reversed, for: problem).isEmpty)
        var missing = plan
        missing.routes[busiest].visits.removeLast()
        #expect(violations(of: missing, for: problem).contains { $0.contains("appears 0 times") })
        var doubled = plan
        doubled.routes[busiest].visits.append(plan.routes[busiest].visits[0])
        #expect(violations(of: doubled, for: problem).contains { $0.contains("appears 2 times") })
    }

    @Test("the search only improves on the first plan, and the same seed gives the same plan")
    func improvesAndRepeats() throws {
        let problem = randomDay(visits: 50, teams: 5, seed: 9)
        var quick = try DispatchPlanner(problem: problem)
        quick.optimise(PlannerOptions(iterations: 0, seed: 7, workers: 1))
        var searched = try DispatchPlanner(problem: problem)
        searched.optimise(PlannerOptions(iterations: 400, seed: 7, workers: 2))
        var again = try DispatchPlanner(problem: problem)
        again.optimise(PlannerOptions(iterations: 400, seed: 7, workers: 2))

        #expect(searched.plan.unplanned.count <= quick.plan.unplanned.count)
        #expect(searched.plan.travelTime < quick.plan.travelTime)
        #expect(searched.plan.routes.map { $0.visits.map(\.visit) } == again.plan.routes.map { $0.visits.map(\.visit) })
        #expect(searched.plan.travelTime == again.plan.travelTime)
    }

    @Test("one team, no windows: the planner finds the shortest tour that trying every order finds")
    func shortestTour() throws {
        let places = (0..<8).map { number -> Coordinate in
            let north = Double((number * 37) % 11) / 50
            let east = Double((number * 53) % 13) / 50
            return Coordinate(latitude: 40 + north, longitude: -75 + east)
        }
        let travel = GreatCircleTravel().matrix(places)
        let visits = (1..<8).map { PlanningVisit(id: "v\($0)", location: $0, window: 0...100_000, duration: 600) }
        let problem = PlanningProblem(
            visits: visits, teams: [PlanningTeam(id: "t", base: 0, shift: 0...100_000)], travel: travel)
        var planner = try DispatchPlanner(problem: problem)
        planner.optimise(PlannerOptions(iterations: 2_000, seed: 3, workers: 1))

        var shortest = Double.infinity
        func search(_ path: [Int], _ left: Set<Int>) {
            guard !left.isEmpty else {
                let tour = zip([0] + path, path + [0]).reduce(0.0) { $0 + travel.time($1.0, $1.1) }
                shortest = min(shortest, tour)
                return
            }
            for next in left { search(path + [next], left.subtracting([next])) }
        }
        search([], Set(1..<8))
        #expect(abs(planner.plan.travelTime - shortest) < 1e-6)
        #expect(violations(of: planner.plan, for: problem) == [])
    }

    @Test("what cannot fit is listed with the reason: no team's service line, outside every shift, a full day")
    func unplannedReasons() throws {
        let hour = 3600.0
        let places = [Coordinate(latitude: 39.74, longitude: -104.99), Coordinate(latitude: 39.75, longitude: -104.98)]
        var visits = [
            PlanningVisit(
                id: "dialysis", location: 1, window: (9 * hour)...(11 * hour), duration: 1800, serviceLine: "dialysis"),
            PlanningVisit(id: "night", location: 1, window: (20 * hour)...(22 * hour), duration: 1800),
        ]
        // Five one-hour visits in one two-hour window: one team makes two of them, at most.
        for number in 0..<5 {
            visits.append(
                PlanningVisit(id: "busy\(number)", location: 1, window: (9 * hour)...(10 * hour), duration: hour))
        }
        let problem = PlanningProblem(
            visits: visits, teams: [PlanningTeam(id: "t", base: 0, shift: (8 * hour)...(17 * hour))],
            travel: GreatCircleTravel().matrix(places))
        var planner = try DispatchPlanner(problem: problem)
        planner.optimise(PlannerOptions(iterations: 100, workers: 1))
        let reasons = Dictionary(uniqueKeysWithValues: planner.plan.unplanned.map { ($0.visit, $0.reason) })

        #expect(reasons["dialysis"] == .noTeamWithServiceLine("dialysis"))
        #expect(reasons["night"] == .outsideEveryShift)
        #expect(planner.plan.routes[0].visits.count == 2)
        #expect(reasons.values.filter { $0 == .noRoomLeft }.count == 3)
        #expect(violations(of: planner.plan, for: problem) == [])
    }

    @Test("a visit booked into a planned day of 500 is placed at once, and the day stays feasible")
    func incrementalInsertion() throws {
        var problem = randomDay(visits: 501, teams: 80, seed: 5)
        problem.visits[500].window = (12 * 3600)...(14 * 3600)
        problem.visits[500].serviceLine = nil
        var day = problem
        let booked = day.visits.removeLast()
        var planner = try DispatchPlanner(problem: day)
        planner.optimise(PlannerOptions(iterations: 0, workers: 1))
        let before = planner.plan
        try planner.add(booked, travel: problem.travel)
        let after = planner.plan

        #expect(violations(of: after, for: problem) == [])
        #expect(after.routes.contains { $0.visits.contains { $0.visit == booked.id } })
        #expect(after.unplanned.map(\.visit) == before.unplanned.map(\.visit))
        // Nothing else moved: every other route keeps its order.
        for (old, new) in zip(before.routes, after.routes) where !new.visits.contains(where: { $0.visit == booked.id })
        {
            #expect(old.visits.map(\.visit) == new.visits.map(\.visit))
        }
    }

    @Test("a new place comes with new travel times: the routes' times are worked out again and stay feasible")
    func newTravelTimes() throws {
        let problem = randomDay(visits: 61, teams: 6, seed: 21)
        var day = problem
        let booked = day.visits.removeLast()
        var planner = try DispatchPlanner(problem: day)
        planner.optimise(PlannerOptions(iterations: 100, workers: 1))
        let before = planner.plan
        // Traffic: every time grows by half, so that some routes no longer fit as they were.
        let slower = TravelMatrix(count: problem.travel.count) { problem.travel.time($0, $1) * 1.5 }
        try planner.add(booked, travel: slower)
        var slowerDay = problem
        slowerDay.travel = slower
        let after = planner.plan

        #expect(violations(of: after, for: slowerDay) == [])
        #expect(after.travelTime > before.travelTime)
        #expect(violations(of: before, for: slowerDay) != [])
    }

    @Test("a place outside the travel times, or new times that leave places out, are refused")
    func invalidProblems() throws {
        var problem = randomDay(visits: 5, teams: 1, seed: 2)
        problem.visits[0].location = problem.travel.count
        #expect(throws: PlanningProblem.Invalid.self) { try DispatchPlanner(problem: problem) }
        problem.visits[0].location = 2
        problem.teams[0].base = -1
        #expect(throws: PlanningProblem.Invalid.self) { try DispatchPlanner(problem: problem) }
        problem.teams[0].base = 0
        var planner = try DispatchPlanner(problem: problem)
        var elsewhere = problem.visits[0]
        elsewhere.location = problem.travel.count
        #expect(throws: PlanningProblem.Invalid.self) { try planner.add(elsewhere) }
        #expect(throws: PlanningProblem.Invalid.self) {
            try planner.add(problem.visits[0], travel: TravelMatrix(count: 2) { _, _ in 60 })
        }
        #expect(planner.problem.visits.count == 5)
    }

    @Test("great-circle travel: Denver to Boulder is about 39 km, at 40 km/h with a road factor of 1.3 about 76 min")
    func greatCircle() {
        let denver = Coordinate(latitude: 39.7392, longitude: -104.9903)
        let boulder = Coordinate(latitude: 40.01499, longitude: -105.27055)
        let kilometres = GreatCircleTravel.kilometres(denver, boulder)
        #expect(abs(kilometres - 38.9) < 0.5)
        #expect(abs(GreatCircleTravel().seconds(from: denver, to: boulder) - kilometres * 1.3 / 40 * 3600) < 1e-9)
    }
}
