import DispatchPlanning

/// A home-visit day shaped like ours, from a seed: visits around a city with two-hour windows between 8:00 and
/// 18:00, visits of 30–60 minutes, teams on 8:00–17:00 or 10:00–19:00 shifts from two bases, some service lines
/// delivered by only some teams.
func randomDay(visits count: Int, teams teamCount: Int, seed: UInt64) -> PlanningProblem {
    var random = SplitMix64(seed: seed)
    func unit() -> Double { random.nextUnit() }
    let hour = 3600.0
    let bases = [Coordinate(latitude: 39.74, longitude: -104.99), Coordinate(latitude: 39.65, longitude: -105.08)]
    var places = bases
    var visits: [PlanningVisit] = []
    for number in 0..<count {
        places.append(Coordinate(latitude: 39.55 + 0.35 * unit(), longitude: -105.2 + 0.45 * unit()))
        let opens = (8 + Double(Int(unit() * 9))) * hour
        let line: String? = unit() < 0.2 ? "wound-care" : (unit() < 0.1 ? "infusion" : nil)
        visits.append(
            PlanningVisit(
                id: "v\(number)", location: places.count - 1, window: opens...(opens + 2 * hour),
                duration: (30 + 30 * unit()) * 60, serviceLine: line))
    }
    let teams = (0..<teamCount).map { number in
        let start = number % 3 == 2 ? 10 * hour : 8 * hour
        return PlanningTeam(
            id: "t\(number)", base: number % 2, shift: start...(start + 9 * hour),
            serviceLines: number % 2 == 0 ? ["wound-care"] : ["wound-care", "infusion"])
    }
    return PlanningProblem(visits: visits, teams: teams, travel: GreatCircleTravel().matrix(places))
}
