import Foundation

/// How long and how hard the planner searches.
public struct PlannerOptions: Sendable {
    /// The search's iterations per worker: with no time limit the plan depends only on the seed.
    public var iterations: Int
    /// Stops the search earlier (the plan then depends on the machine's speed too).
    public var timeLimit: Duration?
    public var seed: UInt64
    /// Independent searches run side by side (one per core by default); the best plan wins.
    public var workers: Int
    /// What a team used costs, in travel time (0 for care teams, which work their shift anyway; the Solomon
    /// instances' convention minimises vehicles first, which a large value gives).
    public var teamCost: Double

    public init(
        iterations: Int = 20_000, timeLimit: Duration? = nil, seed: UInt64 = 1,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount, teamCost: Double = 0
    ) {
        self.iterations = max(0, iterations)
        self.timeLimit = timeLimit
        self.seed = seed
        self.workers = max(1, workers)
        self.teamCost = teamCost
    }
}

/// Plans a market's day (a vehicle routing problem with time windows, shifts, service lines and capacities) and
/// keeps the plan as visits arrive: ``add(_:travel:)`` places a new visit at its cheapest place at once, and
/// ``optimise(_:)`` searches for a better plan, which replaces the current one only when it is better.
public struct DispatchPlanner: Sendable {
    public private(set) var problem: PlanningProblem
    private var solution: Solution

    /// A planner with nothing planned yet.
    public init(problem: PlanningProblem) {
        self.problem = problem
        solution = Solution(problem)
    }

    /// The current plan.
    public var plan: Plan { Self.plan(solution, of: problem) }

    /// Plans the day from scratch, or from the current plan if that is better.
    public mutating func optimise(_ options: PlannerOptions = PlannerOptions()) {
        let weights = Self.weights(problem, options)
        let search = RuinAndRecreate(problem: problem, weights: weights)
        let deadline = options.timeLimit.map { ContinuousClock.now + $0 }
        let current = solution
        let problem = problem
        let results = Results(count: options.workers)
        DispatchQueue.concurrentPerform(iterations: options.workers) { worker in
            var random = SplitMix64(seed: options.seed &+ UInt64(worker) &* 0x9E37_79B9)
            var start = search.initial(random: &random)
            if current.unplanned.count < problem.visits.count, current.cost(weights) < start.cost(weights) {
                start = current
            }
            let best = search.improve(start, iterations: options.iterations, deadline: deadline, random: &random)
            results.set(worker, best)
        }
        for candidate in results.all where candidate.cost(weights) < solution.cost(weights) - Route.tolerance {
            solution = candidate
        }
    }

    /// Adds a newly booked visit and places it where it adds least travel, without moving any other visit (it
    /// stays unplanned, with its reason, when it fits nowhere). `travel` must keep every location's index and cover
    /// the new visit's. O(teams × visits).
    public mutating func add(_ visit: PlanningVisit, travel: TravelMatrix? = nil) {
        if let travel { problem.travel = travel }
        problem.visits.append(visit)
        let index = problem.visits.count - 1
        var random = SplitMix64(seed: 0)
        let weights = Self.weights(problem, PlannerOptions(workers: 1))
        if let best = solution.bestInsertion(of: index, in: problem, weights: weights, random: &random) {
            solution.routes[best.route].insert(index, at: best.position, in: problem)
        } else {
            solution.unplanned.append(index)
        }
    }

    private static func weights(_ problem: PlanningProblem, _ options: PlannerOptions) -> CostWeights {
        // An unplanned visit outweighs any travel a plan can have: twice every pair's time, summed over visits.
        var longest = 0.0
        for from in 0..<problem.travel.count {
            for to in 0..<problem.travel.count { longest = max(longest, problem.travel.time(from, to)) }
        }
        let unplanned =
            (2 * longest + 1) * Double(problem.visits.count + 1) + options.teamCost * Double(problem.teams.count + 1)
        return CostWeights(unplanned: unplanned, team: options.teamCost)
    }

    private static func plan(_ solution: Solution, of problem: PlanningProblem) -> Plan {
        let routes = solution.routes.map { route in
            let team = problem.teams[route.team]
            return PlannedRoute(
                team: team.id,
                visits: route.visits.indices.map { position in
                    let index = route.visits[position]
                    let before =
                        position == 0
                        ? (team.base, team.shift.lowerBound)
                        : (
                            problem.visits[route.visits[position - 1]].location,
                            route.starts[position - 1] + problem.visits[route.visits[position - 1]].duration
                        )
                    return PlannedVisit(
                        visit: problem.visits[index].id,
                        arrival: before.1 + problem.travel.time(before.0, problem.visits[index].location),
                        start: route.starts[position], slack: route.latest[position] - route.starts[position])
                },
                travelTime: route.travel, leaves: team.shift.lowerBound, returns: route.returns)
        }
        let unplanned = solution.unplanned.sorted().map {
            UnplannedVisit(visit: problem.visits[$0].id, reason: reason($0, problem))
        }
        return Plan(routes: routes, unplanned: unplanned)
    }

    /// Why a visit stayed unplanned: what no team can do even with an empty day, else that the days are full.
    private static func reason(_ index: Int, _ problem: PlanningProblem) -> UnplannedVisit.Reason {
        let visit = problem.visits[index]
        let able = problem.teams.indices.filter { problem.teams[$0].delivers(visit) }
        guard !able.isEmpty else { return .noTeamWithServiceLine(visit.serviceLine ?? "") }
        if able.allSatisfy({ problem.teams[$0].capacity < visit.demand }) { return .overCapacity }
        let alone = able.contains { Route(team: $0, visits: [index], in: problem).isFeasible }
        return alone ? .noRoomLeft : .outsideEveryShift
    }
}

/// Each worker's best plan, written from the worker's thread.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Solution?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ solution: Solution) { lock.withLock { slots[index] = solution } }

    /// In worker order, so that ties go to the lowest worker.
    var all: [Solution] { lock.withLock { slots.compactMap { $0 } } }
}
