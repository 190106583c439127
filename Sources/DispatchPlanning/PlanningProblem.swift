/// One day of one market, as the planner sees it: the visits to make, the care teams that can make them and the
/// travel times between every place involved. Times are seconds (or any one unit, as in the Solomon instances),
/// counted from one origin, for example midnight of the day.
public struct PlanningProblem: Sendable, Hashable {
    public var visits: [PlanningVisit]
    public var teams: [PlanningTeam]
    /// Travel times between the locations the visits and the teams' bases name.
    public var travel: TravelMatrix

    public init(visits: [PlanningVisit], teams: [PlanningTeam], travel: TravelMatrix) {
        self.visits = visits
        self.teams = teams
        self.travel = travel
    }

    /// What makes a problem unplannable: a place outside the travel times, or a time that is not a time.
    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Throws unless every visit's place and team's base is in the travel times, every time is finite, and no
    /// duration, demand, capacity or travel time is negative.
    public func check() throws(Invalid) {
        let places = 0..<travel.count
        for visit in visits {
            guard places.contains(visit.location) else {
                throw Invalid(description: "visit \(visit.id)'s place \(visit.location) is not in the travel times")
            }
            guard visit.window.lowerBound.isFinite, visit.window.upperBound.isFinite, visit.duration.isFinite,
                visit.duration >= 0, visit.demand >= 0
            else { throw Invalid(description: "visit \(visit.id) has a window, duration or demand out of range") }
        }
        for team in teams {
            guard places.contains(team.base) else {
                throw Invalid(description: "team \(team.id)'s base \(team.base) is not in the travel times")
            }
            guard team.shift.lowerBound.isFinite, team.shift.upperBound.isFinite, team.capacity >= 0 else {
                throw Invalid(description: "team \(team.id) has a shift or capacity out of range")
            }
        }
        guard travel.isValid else { throw Invalid(description: "a travel time is negative or not finite") }
    }
}

/// A booked request: where, inside which window its visit must start, how long it lasts and what it needs.
public struct PlanningVisit: Sendable, Hashable {
    public var id: String
    /// An index into the problem's ``TravelMatrix``.
    public var location: Int
    /// The earliest and the latest start of the visit (the two-hour window promised to the patient).
    public var window: ClosedRange<Double>
    /// How long the visit lasts once started.
    public var duration: Double
    /// The service line the team must deliver; nil when any team will do.
    public var serviceLine: String?
    /// What the visit takes of a team's capacity (0 for home visits; the Solomon instances' demands).
    public var demand: Int
    /// The team a dispatcher pinned the visit to (a ``PlanningTeam/id``): no other team makes it; nil when any
    /// team delivering its service line may.
    public var team: String?

    public init(
        id: String, location: Int, window: ClosedRange<Double>, duration: Double, serviceLine: String? = nil,
        demand: Int = 0, team: String? = nil
    ) {
        self.id = id
        self.location = location
        self.window = window
        self.duration = duration
        self.serviceLine = serviceLine
        self.demand = demand
        self.team = team
    }
}

/// A care team (a vehicle and its clinicians): where it starts and ends its day, its shift, and what it delivers.
public struct PlanningTeam: Sendable, Hashable {
    public var id: String
    /// An index into the problem's ``TravelMatrix``.
    public var base: Int
    /// The team leaves its base no earlier than the shift's start and is back by its end.
    public var shift: ClosedRange<Double>
    /// The service lines the team delivers; a visit without a service line needs none.
    public var serviceLines: Set<String>
    /// How much demand the team can take in a day (no limit for home visits).
    public var capacity: Int

    public init(
        id: String, base: Int, shift: ClosedRange<Double>, serviceLines: Set<String> = [], capacity: Int = .max
    ) {
        self.id = id
        self.base = base
        self.shift = shift
        self.serviceLines = serviceLines
        self.capacity = capacity
    }

    /// Whether the team may make `visit`: it delivers what the visit needs and is the team the visit is pinned to,
    /// if it is pinned.
    public func delivers(_ visit: PlanningVisit) -> Bool {
        (visit.team.map { $0 == id } ?? true) && (visit.serviceLine.map { serviceLines.contains($0) } ?? true)
    }
}

/// Travel times between locations, all computed once before planning (row-major, `count` × `count`), kept twice:
/// by origin and by destination, so that trying one visit at every place of a plan reads two rows of memory (from
/// the visit, and to it) rather than a column spread over the whole matrix.
public struct TravelMatrix: Sendable, Hashable {
    public let count: Int
    private let times: [Double]
    /// The same times by destination: `incoming[to * count + from]`.
    private let incoming: [Double]

    /// `time(from, to)` for every pair of `count` locations.
    public init(count: Int, time: (Int, Int) -> Double) {
        let count = max(0, count)
        self.count = count
        var times = [Double](repeating: 0, count: count * count)
        var incoming = times
        for from in 0..<count {
            for to in 0..<count where from != to {
                let value = time(from, to)
                times[from * count + to] = value
                incoming[to * count + from] = value
            }
        }
        self.times = times
        self.incoming = incoming
    }

    @inline(__always)
    public func time(_ from: Int, _ to: Int) -> Double { times[from * count + to] }

    /// `time(from, to)`, read from the copy kept by destination (faster for one `to` and many `from`).
    @inline(__always)
    func time(from: Int, arrivingAt to: Int) -> Double { incoming[to * count + from] }

    /// The longest time between two places.
    var longest: Double { times.max() ?? 0 }

    /// Whether every time is finite and not negative.
    var isValid: Bool { times.allSatisfy { $0.isFinite && $0 >= 0 } }
}
