/// A candidate day: one route per team (empty when unused) and the visits not in any route.
struct Solution: Sendable {
    var routes: [Route]
    var unplanned: [Int]
    /// Whether every route keeps its windows, shift and capacity (a removal can break one only when the travel
    /// times break the triangle inequality).
    var feasible = true

    init(_ problem: PlanningProblem) {
        routes = problem.teams.indices.map { Route(team: $0, in: problem) }
        unplanned = Array(problem.visits.indices)
    }

    var travel: Double { routes.reduce(0) { $0 + $1.travel } }
    var teamsUsed: Int { routes.count { !$0.isEmpty } }

    /// What the search minimises: unplanned visits first, then (when teams cost) the teams used, then travel.
    func cost(_ weights: CostWeights) -> Double {
        Double(unplanned.count) * weights.unplanned + Double(teamsUsed) * weights.team + travel
    }

    /// The cheapest feasible place for `index` over every route, skipping each place with probability `blink`.
    func bestInsertion(
        of index: Int, in problem: PlanningProblem, weights: CostWeights, blink: Double = 0,
        eligibility: Eligibility? = nil, random: inout SplitMix64
    ) -> (route: Int, position: Int, cost: Double)? {
        var best: (route: Int, position: Int, cost: Double)?
        for (routeIndex, route) in routes.enumerated() {
            if let eligibility {
                guard eligibility.allows(route.team, index) else { continue }
            } else {
                guard problem.teams[route.team].delivers(problem.visits[index]) else { continue }
            }
            guard let positions = route.candidatePositions(for: index, in: problem) else { continue }
            let opening = route.isEmpty ? weights.team : 0
            for position in positions {
                if blink > 0, random.nextUnit() < blink { continue }
                guard let added = route.insertionCost(of: index, at: position, in: problem) else { continue }
                let cost = added + opening
                if best.map({ cost < $0.cost }) ?? true { best = (routeIndex, position, cost) }
            }
        }
        return best
    }

    /// Inserts each of `indices`, in order, at its cheapest place; those with none stay unplanned.
    mutating func recreate(
        _ indices: [Int], in problem: PlanningProblem, weights: CostWeights, blink: Double,
        eligibility: Eligibility? = nil, random: inout SplitMix64
    ) {
        for index in indices {
            if let best = bestInsertion(
                of: index, in: problem, weights: weights, blink: blink, eligibility: eligibility, random: &random)
            {
                routes[best.route].insert(index, at: best.position, in: problem)
            } else {
                unplanned.append(index)
            }
        }
    }
}

/// How the search weighs an unplanned visit and a team used against travel time.
struct CostWeights: Sendable {
    var unplanned: Double
    var team: Double
}

/// Which team may make which visit (its service line), worked out once: the search asks it millions of times.
struct Eligibility: Sendable {
    private let teams: Int
    private let allowed: [Bool]

    init(_ problem: PlanningProblem) {
        teams = problem.teams.count
        allowed = problem.visits.flatMap { visit in problem.teams.map { $0.delivers(visit) } }
    }

    @inline(__always)
    func allows(_ team: Int, _ visit: Int) -> Bool { allowed[visit * teams + team] }
}
