/// One team's ordered visits (indices into the problem's visits) with what the O(1) insertion test needs: each
/// visit's start, and the latest it may start with every later visit still inside its window and the team back
/// within its shift.
struct Route: Sendable {
    let team: Int
    private(set) var visits: [Int] = []
    private(set) var starts: [Double] = []
    private(set) var latest: [Double] = []
    /// The travel time into each visit from the place before it, and last the way home.
    private(set) var legs: [Double] = []
    private(set) var load = 0
    private(set) var travel: Double = 0
    private(set) var returns: Double = 0
    /// Whether the order keeps every window, the shift and the capacity.
    private(set) var isFeasible = true

    init(team: Int, visits: [Int] = [], in problem: PlanningProblem) {
        self.team = team
        self.visits = visits
        update(in: problem)
    }

    var isEmpty: Bool { visits.isEmpty }

    /// Recomputes the times after a change; false when the order breaks a window, the shift or the capacity.
    @discardableResult
    mutating func update(in problem: PlanningProblem) -> Bool {
        let team = problem.teams[self.team]
        let travelTimes = problem.travel
        var place = team.base
        var time = team.shift.lowerBound
        var feasible = true
        travel = 0
        load = 0
        starts = []
        starts.reserveCapacity(visits.count)
        legs = []
        legs.reserveCapacity(visits.count + 1)
        for index in visits {
            let visit = problem.visits[index]
            let leg = travelTimes.time(place, visit.location)
            legs.append(leg)
            travel += leg
            let start = max(time + leg, visit.window.lowerBound)
            if start > visit.window.upperBound + Self.tolerance { feasible = false }
            starts.append(start)
            time = start + visit.duration
            place = visit.location
            load += visit.demand
        }
        let home = travelTimes.time(place, team.base)
        legs.append(home)
        travel += home
        returns = time + home
        if returns > team.shift.upperBound + Self.tolerance || load > team.capacity { feasible = false }
        isFeasible = feasible
        latest = [Double](repeating: 0, count: visits.count)
        var next = team.shift.upperBound
        var nextPlace = team.base
        for position in visits.indices.reversed() {
            let visit = problem.visits[visits[position]]
            next = min(visit.window.upperBound, next - travelTimes.time(visit.location, nextPlace) - visit.duration)
            latest[position] = next
            nextPlace = visit.location
        }
        return feasible
    }

    /// Times compare with this much room for floating-point rounding.
    static let tolerance = 1e-6

    /// What inserting `index` before `position` (``visits``'s count: at the end) adds to the travel time, or nil
    /// when it breaks a window, the shift or the capacity. O(1), and the places that cannot work whatever the
    /// travel (the team leaves the place before too late, or the visit ends too late for the one after) are
    /// ruled out before any travel time is read.
    func insertionCost(of index: Int, at position: Int, in problem: PlanningProblem) -> Double? {
        let team = problem.teams[self.team]
        let visit = problem.visits[index]
        guard load + visit.demand <= team.capacity else { return nil }
        let departure =
            position == 0 ? team.shift.lowerBound : starts[position - 1] + problem.visits[visits[position - 1]].duration
        guard departure <= visit.window.upperBound + Self.tolerance else { return nil }
        let earliestEnd = max(departure, visit.window.lowerBound) + visit.duration
        let latestNext = position == visits.count ? team.shift.upperBound : latest[position]
        guard earliestEnd <= latestNext + Self.tolerance else { return nil }
        let travelTimes = problem.travel
        let before = position == 0 ? team.base : problem.visits[visits[position - 1]].location
        let toVisit = travelTimes.time(from: before, arrivingAt: visit.location)
        let start = max(departure + toVisit, visit.window.lowerBound)
        guard start <= visit.window.upperBound + Self.tolerance else { return nil }
        let after = position == visits.count ? team.base : problem.visits[visits[position]].location
        let fromVisit = travelTimes.time(visit.location, after)
        let arrival = start + visit.duration + fromVisit
        if position == visits.count {
            guard arrival <= team.shift.upperBound + Self.tolerance else { return nil }
        } else {
            let nextStart = max(arrival, problem.visits[visits[position]].window.lowerBound)
            guard nextStart <= latest[position] + Self.tolerance else { return nil }
        }
        return toVisit + fromVisit - legs[position]
    }

    /// The only positions where `index` can go, whatever the travel: the team must leave the place before by the
    /// end of the visit's window, and the visit must end by the latest start of the one after. Both bounds move
    /// one way along a route (starts and latest starts only grow), so each is a binary search.
    func candidatePositions(for index: Int, in problem: PlanningProblem) -> ClosedRange<Int>? {
        let window = problem.visits[index].window
        let duration = problem.visits[index].duration
        let team = problem.teams[self.team]
        // The first position whose next visit (or the shift's end) leaves room for the visit at all.
        var low = 0
        var high = visits.count
        while low < high {
            let middle = (low + high) / 2
            if latest[middle] + Self.tolerance >= window.lowerBound + duration {
                high = middle
            } else {
                low = middle + 1
            }
        }
        let first = low
        guard first < visits.count || team.shift.upperBound + Self.tolerance >= window.lowerBound + duration else {
            return nil
        }
        // The last position the team can leave for by the window's end.
        func departure(_ position: Int) -> Double {
            position == 0 ? team.shift.lowerBound : starts[position - 1] + problem.visits[visits[position - 1]].duration
        }
        low = first
        high = visits.count
        while low < high {
            let middle = (low + high + 1) / 2
            if departure(middle) <= window.upperBound + Self.tolerance { low = middle } else { high = middle - 1 }
        }
        guard departure(low) <= window.upperBound + Self.tolerance else { return nil }
        return first...low
    }

    mutating func insert(_ index: Int, at position: Int, in problem: PlanningProblem) {
        visits.insert(index, at: position)
        update(in: problem)
    }

    mutating func remove(at positions: [Int], in problem: PlanningProblem) {
        for position in positions.sorted(by: >) { visits.remove(at: position) }
        update(in: problem)
    }

    @discardableResult
    mutating func replace(_ visits: [Int], in problem: PlanningProblem) -> Bool {
        self.visits = visits
        return update(in: problem)
    }
}
