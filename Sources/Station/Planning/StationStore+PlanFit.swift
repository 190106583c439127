import DispatchPlanning
import Fluent
import Foundation
import StationDomain
import Vocabulary

extension StationStore {
    /// A shorter search than a dispatcher's plan (a window step shows a week of days): the plan a fit is tried in
    /// may be a little worse than the dispatcher's, so a window is only ever hidden when it is doubtful, never
    /// offered when the teams cannot make it.
    static let fitBudget = PlannerOptions(iterations: 300, seed: 1, workers: 2)

    /// For each of `windows`, whether its day's dispatch plan can still take one more visit of `line` at `zip`'s
    /// centroid inside it, placed where it adds least travel without moving another visit (false too when no team
    /// working that day delivers the line). On a day that follows routes a dispatcher accepted, the plan is those
    /// routes as ``proposeDay(of:on:locator:in:)`` follows them, so a window is offered only when the accepted
    /// routes can take the visit as they stand; on other days, a short search of the day's bookings. Nil when the
    /// market plans no routes (it has no care teams) or the ZIP code cannot be placed: the windows' capacity alone
    /// then says what is offered. `moving`: a request being rescheduled, left out of the plans so that its current
    /// place does not count against its new one.
    func planFits(
        _ windows: [DateInterval], of market: MarketModel, zip: String, line: ServiceLineModel,
        excluding moving: CareRequestID? = nil, locator: ZipLocator
    ) async throws -> [Date: Bool]? {
        let marketID = MarketID(try market.requireID())
        let teams = try await Self.careTeams(of: marketID, on: db)
        guard let place = locator.centroid(of: zip), !teams.isEmpty else { return nil }
        let zone = market.schedule.timeZone
        let lineID = try line.requireID()
        let lineCode = line.code ?? "id:\(lineID.uuidString)"
        var fits: [Date: Bool] = [:]
        var days: [LocalDate: [DateInterval]] = [:]
        for window in windows {
            guard let day = LocalDate(window.start, in: zone) else { continue }
            days[day, default: []].append(window)
        }
        for (day, windows) in days.sorted(by: { $0.key < $1.key }) {
            let input = try await dayProblem(
                of: market, on: day, locator: locator, extraPlaces: [place], excluding: moving)
            let planner: DispatchPlanner
            if let accepted = try await Self.acceptedRoutes(of: marketID, on: day, in: db) {
                planner = try DispatchPlanner(problem: input.problem, following: accepted.routes)
            } else {
                planner = try await Self.plan(input.problem, options: Self.fitBudget, queue: Self.fitQueue)
            }
            for window in windows {
                var trial = planner
                let probe = PlanningVisit(
                    id: "window-fit", location: input.extraPlaces,
                    window: window.start.timeIntervalSince(
                        input.span.start)...window.end.timeIntervalSince(
                            input.span.start),
                    duration: Double(line.visitMinutes * 60), serviceLine: lineCode)
                try trial.add(probe)
                fits[window.start] = !trial.plan.unplanned.contains { $0.visit == probe.id }
            }
        }
        return fits
    }
}
