import Testing

@testable import DispatchPlanning

@Suite("Insertion: the O(1) test and the positions it skips agree with working the whole route out again")
struct InsertionTests {
    @Test(
        "every visit at every place of every planned route: allowed exactly when the longer route keeps every window and shift, at exactly the travel it adds, and never at a place the shortcut skips",
        arguments: [3, 8, 13] as [UInt64])
    func insertionAgreesWithRecomputation(seed: UInt64) throws {
        let problem = randomDay(visits: 70, teams: 5, seed: seed)
        var planner = try DispatchPlanner(problem: problem)
        planner.optimise(PlannerOptions(iterations: 100, seed: seed, workers: 1))
        let index = Dictionary(uniqueKeysWithValues: problem.visits.enumerated().map { ($1.id, $0) })
        var allowed = 0
        var refused = 0
        for (teamIndex, planned) in planner.plan.routes.enumerated() {
            // Every other visit of the planned route, so that there is room left (the times obey the triangle
            // inequality, so the shorter route stays feasible).
            let kept = planned.visits.enumerated().filter { $0.offset.isMultiple(of: 2) }.map(\.element)
            let route = Route(team: teamIndex, visits: kept.compactMap { index[$0.visit] }, in: problem)
            #expect(route.isFeasible)
            for visit in problem.visits.indices where !route.visits.contains(visit) {
                let candidates = route.candidatePositions(for: visit, in: problem)
                for position in 0...route.visits.count {
                    var longer = route.visits
                    longer.insert(visit, at: position)
                    let recomputed = Route(team: teamIndex, visits: longer, in: problem)
                    let cost = route.insertionCost(of: visit, at: position, in: problem)
                    if recomputed.isFeasible {
                        allowed += 1
                        let added = try #require(cost, "visit \(visit) at \(position) of team \(teamIndex)")
                        #expect(abs(added - (recomputed.travel - route.travel)) < 1e-6)
                        #expect(candidates?.contains(position) == true)
                    } else {
                        refused += 1
                        #expect(cost == nil, "visit \(visit) at \(position) of team \(teamIndex)")
                    }
                }
            }
        }
        // Both answers occur, so the comparison above compared something.
        #expect(allowed > 50)
        #expect(refused > 50)
    }
}
