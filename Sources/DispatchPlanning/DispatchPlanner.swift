import Foundation

/// How long and how hard the planner searches.
public struct PlannerOptions: Sendable {
    /// The search's iterations per worker: with no time limit the plan depends only on the seed and the workers.
    public var iterations: Int
    /// Stops the search earlier (the plan then depends on the machine's speed too).
    public var timeLimit: Duration?
    public var seed: UInt64
    /// Independent searches run side by side (two by default, for the two cores we plan on); the best plan wins.
    public var workers: Int
    /// What a team used costs, in travel time (0 for care teams, which work their shift anyway; the Solomon
    /// instances' convention minimises vehicles first, which a large value gives).
    public var teamCost: Double

    public init(
        iterations: Int = 20_000, timeLimit: Duration? = nil, seed: UInt64 = 1,
        workers: Int = 2, teamCost: Double = 0
    ) {
        self.iterations = max(0, iterations)
        self.timeLimit = timeLimit
        self.seed = seed
        self.workers = max(1, workers)
        self.teamCost = teamCost.isFinite ? max(0, teamCost) : 0
    }
}

/// Plans a market's day (a vehicle routing problem with time windows, shifts, service lines and capacities) and
/// keeps the plan as visits arrive: ``add(_:travel:)`` places a new visit at its cheapest place at once, and
/// ``optimise(_:)`` searches for a better plan, which replaces the current one only when it is better.
public struct DispatchPlanner: Sendable {
    public private(set) var problem: PlanningProblem
    private var solution: Solution
    /// The longest travel time between any two places (what an unplanned visit is weighed against).
    private var longestLeg: Double
    /// What a team used costs, as the last ``optimise(_:)`` was told.
    private var teamCost = 0.0

    /// A planner with nothing planned yet; refuses a problem whose places are not all in its travel times.
    public init(problem: PlanningProblem) throws(PlanningProblem.Invalid) {
        try problem.check()
        self.problem = problem
        solution = Solution(problem)
        longestLeg = problem.travel.longest
    }

    /// A planner whose plan follows `routes` (each team's visit ids in order, as a plan accepted earlier gave them):
    /// every team keeps the visits listed for it, in that order, as long as its route stays feasible; a listed visit
    /// that is gone is dropped; one the team may no longer make, or that no longer fits where it was, is placed again
    /// where it adds least travel without moving another visit, as is every visit not listed (or stays unplanned,
    /// with its reason). No search runs: ``optimise(_:)`` may follow.
    public init(problem: PlanningProblem, following routes: [String: [String]]) throws(PlanningProblem.Invalid) {
        try self.init(problem: problem)
        let indices = Dictionary(
            problem.visits.indices.map { (problem.visits[$0].id, $0) }, uniquingKeysWith: { first, _ in first })
        var placed = Set<Int>()
        for routeIndex in solution.routes.indices {
            let team = problem.teams[solution.routes[routeIndex].team]
            for id in routes[team.id] ?? [] {
                guard let index = indices[id], !placed.contains(index), team.delivers(problem.visits[index]) else {
                    continue
                }
                let end = solution.routes[routeIndex].visits.count
                guard solution.routes[routeIndex].insertionCost(of: index, at: end, in: problem) != nil else {
                    continue
                }
                solution.routes[routeIndex].insert(index, at: end, in: problem)
                placed.insert(index)
            }
        }
        solution.unplanned = []
        var random = SplitMix64(seed: 0)
        solution.recreate(
            problem.visits.indices.filter { !placed.contains($0) }, in: problem, weights: weights, blink: 0,
            random: &random)
    }

    /// The current plan.
    public var plan: Plan { Self.plan(solution, of: problem) }

    /// Plans the day from scratch, or from the current plan if that is better.
    public mutating func optimise(_ options: PlannerOptions = PlannerOptions()) {
        teamCost = options.teamCost
        let weights = self.weights
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
    /// stays unplanned, with its reason, when it fits nowhere). O(teams × visits).
    ///
    /// `travel`, when the new visit's place is new, replaces the travel times: it must keep every place's index.
    /// Every route's times are then worked out again, and the visits of a route the new times break are placed
    /// again too.
    public mutating func add(_ visit: PlanningVisit, travel: TravelMatrix? = nil) throws(PlanningProblem.Invalid) {
        var next = problem
        if let travel {
            guard travel.count >= problem.travel.count else {
                throw PlanningProblem.Invalid(description: "the new travel times leave out places already planned")
            }
            next.travel = travel
        }
        next.visits.append(visit)
        try next.check()
        problem = next
        var random = SplitMix64(seed: 0)
        var again: [Int] = []
        if travel != nil {
            longestLeg = problem.travel.longest
            for index in solution.routes.indices where !solution.routes[index].update(in: problem) {
                again += solution.routes[index].visits
                _ = solution.routes[index].replace([], in: problem)
            }
        }
        solution.recreate(again + [problem.visits.count - 1], in: problem, weights: weights, blink: 0, random: &random)
    }

    private var weights: CostWeights {
        // An unplanned visit outweighs any travel a plan can have: twice the longest leg for every visit, and every
        // team's cost.
        let unplanned =
            (2 * longestLeg + 1) * Double(problem.visits.count + 1) + teamCost * Double(problem.teams.count + 1)
        return CostWeights(unplanned: unplanned, team: teamCost)
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
        guard !problem.teams.isEmpty else { return .noTeams }
        if let pinned = visit.team, !problem.teams.contains(where: { $0.id == pinned }) { return .pinnedTeamAbsent }
        let able = problem.teams.indices.filter { problem.teams[$0].delivers(visit) }
        guard !able.isEmpty else { return visit.serviceLine.map { .noTeamWithServiceLine($0) } ?? .noTeams }
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
