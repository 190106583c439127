import Foundation

/// The search: Slack Induction by String Removals (Christiaens and Vanden Berghe, "Slack Induction by String
/// Removals for Vehicle Routing Problems", Transportation Science 54(2), 2020). Each iteration removes a few strings
/// of consecutive visits from routes near a random visit, puts them back greedily (in one of several orders, with a
/// small chance of skipping each place, which lets routes "breathe"), and keeps the result by simulated annealing.
/// Chosen for its strength on the Solomon instances with time windows, its few parameters and its small code.
struct RuinAndRecreate {
    let problem: PlanningProblem
    let weights: CostWeights
    /// Each visit's neighbours, nearest first (itself first).
    let neighbours: [[Int]]
    let eligibility: Eligibility
    /// Average visits removed per iteration, and the longest string.
    var averageRemoved = 10.0
    var longestString = 10.0
    var blink = 0.01

    init(problem: PlanningProblem, weights: CostWeights) {
        self.problem = problem
        self.weights = weights
        let visits = problem.visits
        eligibility = Eligibility(problem)
        neighbours = visits.indices.map { from in
            visits.indices.sorted {
                problem.travel.time(visits[from].location, visits[$0].location)
                    < problem.travel.time(visits[from].location, visits[$1].location)
            }
        }
    }

    /// The first plan: every visit inserted at its cheapest place, earliest window first.
    func initial(random: inout SplitMix64) -> Solution {
        var solution = Solution(problem)
        let order = solution.unplanned.sorted {
            (problem.visits[$0].window.lowerBound, $0) < (problem.visits[$1].window.lowerBound, $1)
        }
        solution.unplanned = []
        solution.recreate(order, in: problem, weights: weights, blink: 0, eligibility: eligibility, random: &random)
        return solution
    }

    /// Improves `start` until `iterations` are done or `deadline` passes, whichever is first; returns the best.
    func improve(
        _ start: Solution, iterations: Int, deadline: ContinuousClock.Instant?, random: inout SplitMix64
    ) -> Solution {
        var current = start
        var best = start
        var currentCost = current.cost(weights)
        var bestCost = currentCost
        let (hot, cold) = temperatures(start)
        let began = ContinuousClock.now
        let budget = deadline.map { $0 - began }
        for iteration in 0..<iterations {
            var progress = Double(iteration) / Double(max(1, iterations))
            if let deadline, let budget {
                let now = ContinuousClock.now
                if now >= deadline { break }
                progress = max(progress, (now - began) / budget)
            }
            let temperature = hot * pow(cold / hot, progress)
            var candidate = current
            let removed = ruin(&candidate, random: &random)
            guard candidate.feasible else { continue }
            candidate.recreate(
                ordered(removed, random: &random), in: problem, weights: weights, blink: blink,
                eligibility: eligibility, random: &random)
            let cost = candidate.cost(weights)
            if cost < currentCost - temperature * log(max(random.nextUnit(), .leastNonzeroMagnitude)) {
                current = candidate
                currentCost = cost
                if cost < bestCost - Route.tolerance {
                    best = candidate
                    bestCost = cost
                }
            }
        }
        return best
    }

    /// The annealing's start and end temperatures, scaled to the instance: 100 and 1 on the Solomon instances
    /// (as in the paper), whose average leg is about 10; here ten times and a tenth of the average leg.
    private func temperatures(_ solution: Solution) -> (Double, Double) {
        let legs = Double(problem.visits.count + solution.teamsUsed)
        let leg = max(solution.travel / max(1, legs), 1e-3)
        return (10 * leg, 0.1 * leg)
    }

    /// Removes strings of consecutive visits from routes around a random visit; returns them with the visits that
    /// were unplanned already.
    private func ruin(_ solution: inout Solution, random: inout SplitMix64) -> [Int] {
        var removed = solution.unplanned
        solution.unplanned = []
        let used = solution.routes.filter { !$0.isEmpty }
        guard !used.isEmpty, !problem.visits.isEmpty else { return removed }
        var routeOf = [Int](repeating: -1, count: problem.visits.count)
        for (routeIndex, route) in solution.routes.enumerated() {
            for index in route.visits { routeOf[index] = routeIndex }
        }
        let averageLength = Double(used.reduce(0) { $0 + $1.visits.count }) / Double(used.count)
        let stringLimit = min(longestString, averageLength)
        let stringsLimit = 4 * averageRemoved / (1 + stringLimit) - 1
        let strings = Int(uniform(1, stringsLimit + 1, &random))
        let seed = Int(random.next() % UInt64(problem.visits.count))
        var ruined = Set<Int>()
        for visit in neighbours[seed] where ruined.count < strings {
            let routeIndex = routeOf[visit]
            guard routeIndex >= 0, !ruined.contains(routeIndex) else { continue }
            let route = solution.routes[routeIndex]
            let length = Int(uniform(1, min(Double(route.visits.count), stringLimit) + 1, &random))
            guard let at = route.visits.firstIndex(of: visit) else { continue }
            // A random string of `length` visits that contains `visit`.
            let lowest = max(0, at - length + 1)
            let highest = min(at, route.visits.count - length)
            let first = lowest + Int(random.next() % UInt64(highest - lowest + 1))
            let positions = Array(first..<(first + length))
            removed += positions.map { route.visits[$0] }
            for position in positions { routeOf[route.visits[position]] = -1 }
            solution.routes[routeIndex].remove(at: positions, in: problem)
            ruined.insert(routeIndex)
        }
        solution.feasible = ruined.allSatisfy { solution.routes[$0].isFeasible }
        return removed
    }

    /// The removed visits in the order they go back: random most often, else far ones first, near ones first, or
    /// earliest window first.
    private func ordered(_ removed: [Int], random: inout SplitMix64) -> [Int] {
        let choice = random.nextUnit()
        let base = problem.teams.first?.base ?? 0
        func distance(_ index: Int) -> Double { problem.travel.time(base, problem.visits[index].location) }
        switch choice {
        case ..<0.4: return removed.shuffled(using: &random)
        case ..<0.6: return removed.sorted { (distance($0), $0) > (distance($1), $1) }
        case ..<0.7: return removed.sorted { (distance($0), $0) < (distance($1), $1) }
        default:
            return removed.sorted {
                (problem.visits[$0].window.lowerBound, $0) < (problem.visits[$1].window.lowerBound, $1)
            }
        }
    }

    private func uniform(_ low: Double, _ high: Double, _ random: inout SplitMix64) -> Double {
        low + (high - low) * random.nextUnit()
    }
}
