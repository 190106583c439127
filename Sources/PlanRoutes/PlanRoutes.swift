import ArgumentParser
import DispatchPlanning
import Foundation

/// `plan-routes`: runs the dispatch planner on one instance file and prints the plan as JSON, for
/// `benchmarks/routing.sh`, which runs PyVRP and OR-Tools on the same files and checks every answer itself.
@main
struct PlanRoutes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan-routes",
        abstract: "Plan the routes of one instance (VRPLIB .vrp, or a home-visit day as .json) and print them as JSON.")

    @Argument(
        help:
            "The instance: a VRPLIB file (.vrp) or a home-visit day (.json: visits, teams and the travel-time matrix in seconds)."
    )
    var instance: String

    @Option(help: "Stop after this many seconds.")
    var seconds: Double?

    @Option(help: "Iterations per worker (the plan then repeats for a seed).")
    var iterations = 1_000_000_000

    @Option(help: "The random seed.")
    var seed: UInt64 = 1

    @Option(help: "Searches side by side (default: one per core).")
    var workers = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "What a vehicle used costs, in travel (a large value minimises vehicles first).")
    var teamCost = 0.0

    @Option(
        help:
            "Plan without the instance's last N visits, then add them one by one as bookings during the day are, and report how long each addition took."
    )
    var holdOut = 0

    func validate() throws {
        guard seconds != nil || iterations < 1_000_000_000 else {
            throw ValidationError("Give --seconds or --iterations.")
        }
        if let seconds, !(seconds > 0 && seconds < 86_400) {
            throw ValidationError("--seconds must be more than 0 and less than a day.")
        }
        guard iterations >= 0, holdOut >= 0, (1...256).contains(workers), teamCost >= 0, teamCost.isFinite else {
            throw ValidationError(
                "--iterations, --hold-out and --team-cost must not be negative; --workers runs 1 to 256.")
        }
    }

    func run() throws {
        let text = try String(contentsOfFile: instance, encoding: .utf8)
        let problem =
            try instance.hasSuffix(".json") ? HomeDay.problem(from: Data(text.utf8)) : VRPLIBInstance.parse(text)
        guard holdOut <= problem.visits.count else {
            throw ValidationError("--hold-out is more than the instance's \(problem.visits.count) visits.")
        }
        let later = problem.visits.suffix(holdOut)
        var first = problem
        first.visits.removeLast(holdOut)
        let started = ContinuousClock.now
        var planner = try DispatchPlanner(problem: first)
        planner.optimise(
            PlannerOptions(
                iterations: iterations, timeLimit: seconds.map { .milliseconds(Int64($0 * 1000)) }, seed: seed,
                workers: workers, teamCost: teamCost))
        let elapsed = ContinuousClock.now - started
        // Station's path on a day that follows accepted routes: each booking rebuilds the day around the routes
        // it follows (the plan before it), the new visit placed where it adds least travel, and reads the plan.
        var followed: [Duration] = []
        var day = first
        var routes = Self.routes(of: planner.plan)
        for visit in later {
            day.visits.append(visit)
            let clock = ContinuousClock.now
            let plan = try DispatchPlanner(problem: day, following: routes).plan
            followed.append(ContinuousClock.now - clock)
            routes = Self.routes(of: plan)
        }
        let followedPlanned = Set(routes.values.joined())
        var additions: [Duration] = []
        for visit in later {
            let clock = ContinuousClock.now
            try planner.add(visit)
            additions.append(ContinuousClock.now - clock)
        }
        let plan = planner.plan
        let unplanned = Set(plan.unplanned.map(\.visit))
        let answer = Answer(
            travel: plan.travelTime, teams: plan.teamsUsed, unplanned: plan.unplanned.map(\.visit),
            seconds: elapsed.seconds,
            routes: plan.routes.filter { !$0.visits.isEmpty }.map {
                RouteAnswer(team: $0.team, visits: $0.visits.map(\.visit))
            },
            insertions: additions.isEmpty
                ? nil : Insertions(additions, placed: later.count { !unplanned.contains($0.id) }),
            followingAccepted: followed.isEmpty
                ? nil : Insertions(followed, placed: later.count { followedPlanned.contains($0.id) }))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(answer), as: UTF8.self))
    }

    /// Each team's visit ids in order, as Station keeps a day's accepted routes.
    static func routes(of plan: Plan) -> [String: [String]] {
        Dictionary(plan.routes.map { ($0.team, $0.visits.map(\.visit)) }, uniquingKeysWith: { first, _ in first })
    }
}

struct Answer: Encodable {
    var travel: Double
    var teams: Int
    var unplanned: [String]
    var seconds: Double
    var routes: [RouteAnswer]
    /// Each held-out visit added to the plan (``DispatchPlanner/add(_:travel:)``).
    var insertions: Insertions?
    /// Each held-out visit booked on a day following accepted routes, as Station plans it.
    var followingAccepted: Insertions?

    enum CodingKeys: String, CodingKey {
        case travel, teams, unplanned, seconds, routes, insertions
        case followingAccepted = "following_accepted"
    }
}

/// How long each held-out visit took to add, in milliseconds.
struct Insertions: Encodable {
    var added: Int
    var placed: Int
    var medianMs: Double
    var p95Ms: Double
    var maxMs: Double

    init(_ durations: [Duration], placed: Int) {
        let sorted = durations.map { $0.seconds * 1000 }.sorted()
        added = sorted.count
        self.placed = placed
        medianMs = sorted[sorted.count / 2]
        p95Ms = sorted[min(sorted.count - 1, sorted.count * 95 / 100)]
        maxMs = sorted[sorted.count - 1]
    }

    enum CodingKeys: String, CodingKey {
        case added, placed
        case medianMs = "median_ms"
        case p95Ms = "p95_ms"
        case maxMs = "max_ms"
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

struct RouteAnswer: Encodable {
    var team: String
    var visits: [String]
}

/// A home-visit day as `benchmarks/routing_days.py` writes it: visits, teams and the whole travel-time matrix (in
/// seconds), so that every solver plans with exactly the same times.
struct HomeDay: Decodable {
    struct Visit: Decodable {
        var id: String
        var location: Int
        var window: [Double]
        var duration: Double
        var serviceLine: String?

        enum CodingKeys: String, CodingKey {
            case id, location, window, duration
            case serviceLine = "service_line"
        }
    }

    struct Team: Decodable {
        var id: String
        var base: Int
        var shift: [Double]
        var serviceLines: [String]

        enum CodingKeys: String, CodingKey {
            case id, base, shift
            case serviceLines = "service_lines"
        }
    }

    var visits: [Visit]
    var teams: [Team]
    var travel: [[Double]]

    static func problem(from data: Data) throws -> PlanningProblem {
        let day = try JSONDecoder().decode(HomeDay.self, from: data)
        guard day.travel.allSatisfy({ $0.count == day.travel.count }),
            day.visits.allSatisfy({
                $0.window.count == 2 && $0.window[0] <= $0.window[1] && day.travel.indices.contains($0.location)
            }),
            day.teams.allSatisfy({
                $0.shift.count == 2 && $0.shift[0] <= $0.shift[1] && day.travel.indices.contains($0.base)
            })
        else { throw ValidationError("The day's matrix, windows or shifts are malformed.") }
        let travel = TravelMatrix(count: day.travel.count) { day.travel[$0][$1] }
        return PlanningProblem(
            visits: day.visits.map {
                PlanningVisit(
                    id: $0.id, location: $0.location, window: $0.window[0]...$0.window[1], duration: $0.duration,
                    serviceLine: $0.serviceLine)
            },
            teams: day.teams.map {
                PlanningTeam(
                    id: $0.id, base: $0.base, shift: $0.shift[0]...$0.shift[1], serviceLines: Set($0.serviceLines))
            },
            travel: travel)
    }
}
