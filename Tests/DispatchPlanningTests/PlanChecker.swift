import DispatchPlanning

/// An independent check of a plan against its problem, written apart from the planner's own bookkeeping: every
/// visit is planned once or listed as unplanned once, and each route, recomputed from the travel times, leaves no
/// earlier than the shift, starts every visit inside its window, delivers its service line, stays within capacity,
/// is back by the shift's end, and reports the times and travel it really has.
func violations(of plan: Plan, for problem: PlanningProblem) -> [String] {
    var problems: [String] = []
    let visits = Dictionary(uniqueKeysWithValues: problem.visits.map { ($0.id, $0) })
    let teams = Dictionary(uniqueKeysWithValues: problem.teams.map { ($0.id, $0) })
    var seen: [String: Int] = [:]
    for route in plan.routes {
        guard let team = teams[route.team] else {
            problems.append("unknown team \(route.team)")
            continue
        }
        var place = team.base
        var time = team.shift.lowerBound
        var travel = 0.0
        var load = 0
        for stop in route.visits {
            seen[stop.visit, default: 0] += 1
            guard let visit = visits[stop.visit] else {
                problems.append("unknown visit \(stop.visit)")
                continue
            }
            let leg = problem.travel.time(place, visit.location)
            travel += leg
            let arrival = time + leg
            let start = max(arrival, visit.window.lowerBound)
            if abs(stop.arrival - arrival) > 1e-6 {
                problems.append("\(stop.visit): arrival \(stop.arrival) ≠ \(arrival)")
            }
            if abs(stop.start - start) > 1e-6 { problems.append("\(stop.visit): start \(stop.start) ≠ \(start)") }
            if start > visit.window.upperBound + 1e-6 { problems.append("\(stop.visit): starts after its window") }
            if stop.slack < -1e-6 { problems.append("\(stop.visit): negative slack") }
            if let line = visit.serviceLine, !team.serviceLines.contains(line) {
                problems.append("\(stop.visit): \(team.id) does not deliver \(line)")
            }
            if let pinned = visit.team, pinned != team.id {
                problems.append("\(stop.visit): pinned to \(pinned), made by \(team.id)")
            }
            load += visit.demand
            time = start + visit.duration
            place = visit.location
        }
        let home = problem.travel.time(place, team.base)
        travel += home
        if time + home > team.shift.upperBound + 1e-6 { problems.append("\(team.id): back after its shift") }
        if abs(route.returns - (time + home)) > 1e-6 {
            problems.append("\(team.id): returns \(route.returns) ≠ \(time + home)")
        }
        // Slack: the latest each visit could start with every later one still in its window and the team back in
        // time, worked out backwards from the shift's end.
        var latest = team.shift.upperBound
        var next = team.base
        for stop in route.visits.reversed() {
            guard let visit = visits[stop.visit] else { continue }
            latest = min(visit.window.upperBound, latest - problem.travel.time(visit.location, next) - visit.duration)
            if abs(stop.slack - (latest - stop.start)) > 1e-6 {
                problems.append("\(stop.visit): slack \(stop.slack) ≠ \(latest - stop.start)")
            }
            next = visit.location
        }
        if load > team.capacity { problems.append("\(team.id): over capacity") }
        if abs(travel - route.travelTime) > 1e-6 {
            problems.append("\(team.id): travel \(route.travelTime) ≠ \(travel)")
        }
    }
    for unplanned in plan.unplanned { seen[unplanned.visit, default: 0] += 1 }
    for visit in problem.visits where seen[visit.id] != 1 {
        problems.append("\(visit.id) appears \(seen[visit.id] ?? 0) times")
    }
    return problems
}
