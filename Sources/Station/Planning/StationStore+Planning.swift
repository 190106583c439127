import DispatchPlanning
import Fluent
import Foundation
import StationDomain
import Vocabulary

/// The planner's proposal for one market-local day: which care team makes which booked visit, in what order, and
/// when it arrives; what cannot be planned, with the reason.
struct ProposedDay: Sendable {
    struct Stop: Sendable, Equatable {
        var careRequest: CareRequestID
        var arrival: Date
        var start: Date
        /// How much later the visit could start with every later visit of the route still inside its window.
        var slack: TimeInterval
        /// Minutes a dispatcher said the visit runs beyond its service line's length.
        var extraMinutes: Int
        /// Whether a dispatcher pinned the visit to this route's team.
        var pinned = false
        /// Who pinned it.
        var pinnedBy: String? = nil
    }

    struct Route: Sendable {
        var team: CareTeamRecord
        var leaves: Date
        var returns: Date
        var travel: TimeInterval
        var stops: [Stop]
    }

    struct Unplanned: Sendable, Equatable {
        var careRequest: CareRequestID
        var reason: String
        /// Minutes a dispatcher said the visit runs longer (which may be why it no longer fits).
        var extraMinutes: Int = 0
        /// The team a dispatcher pinned it to (which may be why it does not fit).
        var pinnedTeam: CareTeamID?
        /// Who pinned it.
        var pinnedBy: String? = nil
    }

    var market: MarketID
    var day: LocalDate
    var routes: [Route]
    var unplanned: [Unplanned]
    /// The accepted routes this proposal follows; nil when it plans the whole day afresh.
    var follows: AcceptedRoutes? = nil
    /// When it follows accepted routes: what the search of the whole day in the background found
    /// (``BackgroundPlanSearch``); nil when it plans afresh, or no search is run.
    var search: PlanSearchOffer? = nil
}

/// A market day's planning problem and what reading the planner's answer needs.
struct DayProblem: Sendable {
    var problem: PlanningProblem
    /// The market-local day; the problem's times are seconds from its start.
    var span: DateInterval
    /// The teams planned, in the problem's order.
    var teams: [CareTeamRecord]
    /// By request id (wire): the minutes a visit runs longer, and the team it is pinned to.
    var extraMinutes: [String: Int]
    var pins: [String: CareTeamID]
    /// By request id (wire): who pinned it, for the pinned ones.
    var pinnedBy: [String: String] = [:]
    /// Requests the planner is not given (no window, an address it cannot place).
    var unplanned: [ProposedDay.Unplanned]
    /// The index of the first extra place in the travel times.
    var extraPlaces: Int
}

extension StationStore {
    /// The planner's search budget for one day: iterations only, so that the same bookings give the same plan on
    /// any machine (about 1.4 s for 1,000 visits, a few milliseconds for a market's usual day).
    static let planningBudget = PlannerOptions(iterations: 3_000, seed: 1, workers: 2)

    /// The key of the PostgreSQL advisory lock that orders the changes a plan makes (accepting a day, a visit
    /// running longer): each plans and writes its estimates inside one transaction, so none writes estimates from a
    /// plan another has made stale. (SQLite's writers are one at a time already.)
    static let planningLock: Int64 = 0x5354_504C_414E_5321

    /// Plans run one at a time on their own queue, off Swift's shared threads (each search uses both cores).
    private static let planningQueue = DispatchQueue(label: "station.dispatch-planning", qos: .utility)
    /// The window steps' trials (``planFits(_:of:zip:line:excluding:locator:)``) queue apart, so that many people
    /// choosing a window never hold up a dispatcher's plan change, which waits for its plan inside a transaction.
    static let fitQueue = DispatchQueue(label: "station.window-fit", qos: .utility)

    /// The ZIP code centroids kept with the planner, read once; nil (and logged at start) if they do not load.
    static let zipLocator: Result<ZipLocator, any Error> = Result { try ZipLocator.bundled() }

    /// Plans a market's day from its care teams working that weekday and the day's booked, open requests: each
    /// visit at its address (the ZIP code's centroid and an offset of its own), as long as its service line's visits
    /// last, inside its window, by a team delivering its service line (the team it is pinned to, if a dispatcher
    /// pinned it), within the team's shift. Once a dispatcher accepted the day's plan, the proposal follows the
    /// accepted routes (``DispatchPlanner/init(problem:following:)``): each team keeps its stops in order, a new
    /// booking is added where it adds least travel, a stop that no longer fits is placed again; no search moves the
    /// rest until a dispatcher plans the day again (``planDayAgain(of:on:)``). Nothing is saved; the same bookings
    /// (and accepted routes) give the same plan.
    /// `database`: the transaction to read in (accepting a plan, a visit running longer), else the store's.
    func proposeDay(
        of market: MarketModel, on day: LocalDate, locator: ZipLocator, in database: (any Database)? = nil
    ) async throws -> ProposedDay {
        let input = try await dayProblem(of: market, on: day, locator: locator, in: database)
        let (span, planned, extra, pins) = (input.span, input.teams, input.extraMinutes, input.pins)
        var unplanned = input.unplanned.map { item in
            var item = item
            item.pinnedBy = input.pinnedBy[item.careRequest.wire]
            return item
        }
        let accepted = try await Self.acceptedRoutes(
            of: MarketID(try market.requireID()), on: day, in: database ?? self.db)
        let key = BackgroundPlanSearch.Key(market: MarketID(try market.requireID()), day: day)
        let plan: Plan
        if let accepted {
            plan = try DispatchPlanner(problem: input.problem, following: accepted.routes).plan
        } else if let known = await planSearch?.plan(of: key, problem: input.problem) {
            plan = known
        } else {
            plan = try await Self.plan(input.problem).plan
            await planSearch?.remember(key, span: span, problem: input.problem, plan: plan)
        }
        var search: PlanSearchOffer?
        if accepted != nil, database == nil, let planSearch {
            let state = await planSearch.state(of: key, span: span, problem: input.problem)
            search = PlanSearchOffer(state, following: BackgroundPlanSearch.Outcome(plan))
        }

        let teamsByID = Dictionary(uniqueKeysWithValues: planned.map { ($0.id.wire, $0) })
        let routes = plan.routes.compactMap { route -> ProposedDay.Route? in
            guard let team = teamsByID[route.team] else { return nil }
            return ProposedDay.Route(
                team: team, leaves: span.start + route.leaves, returns: span.start + route.returns,
                travel: route.travelTime,
                stops: route.visits.compactMap { stop in
                    CareRequestID(wire: stop.visit).map {
                        ProposedDay.Stop(
                            careRequest: $0, arrival: span.start + stop.arrival, start: span.start + stop.start,
                            slack: stop.slack, extraMinutes: extra[stop.visit] ?? 0, pinned: pins[stop.visit] != nil,
                            pinnedBy: input.pinnedBy[stop.visit])
                    }
                })
        }
        unplanned += plan.unplanned.compactMap { visit in
            CareRequestID(wire: visit.visit).map {
                ProposedDay.Unplanned(
                    careRequest: $0, reason: visit.reason.code, extraMinutes: extra[visit.visit] ?? 0,
                    pinnedTeam: pins[visit.visit], pinnedBy: input.pinnedBy[visit.visit])
            }
        }
        return ProposedDay(
            market: MarketID(try market.requireID()), day: day, routes: routes, unplanned: unplanned, follows: accepted,
            search: search)
    }

    /// A market day as the planner sees it: the problem, and what the plan's answer is read with. `extraPlaces`
    /// are added to the travel times after every base and visit (from `DayProblem/extraPlaces` on); `excluding`, a
    /// request left out (one being rescheduled).
    func dayProblem(
        of market: MarketModel, on day: LocalDate, locator: ZipLocator, in database: (any Database)? = nil,
        extraPlaces: [Coordinate] = [], excluding: CareRequestID? = nil
    ) async throws -> DayProblem {
        let db = database ?? self.db
        let marketID = MarketID(try market.requireID())
        let zone = market.schedule.timeZone
        guard let span = day.interval(in: zone) else { throw StationError.clockOutOfRange }
        let weekday = CareTeamSettings.Weekday(day)
        let teams = try await Self.careTeams(of: marketID, on: db).filter { $0.settings.shift(on: weekday) != nil }
        let requests = try await CareRequestModel.query(on: db)
            .filter(\.$marketID == marketID.rawValue).filter(\.$synthetic == false)
            .filter(\.$windowStart >= span.start).filter(\.$windowStart < span.end)
            .filter(\.$phase == CareRequestPhase.current.rawValue)
            .filter(\.$status != CareRequestStatus.pendingTriage.rawValue)
            .sort(\.$windowStart).sort(\.$createdMs).sort(\.$id).all()
        let lines = Dictionary(
            try await ServiceLineModel.query(on: db).all().map { (try $0.requireID(), $0) },
            uniquingKeysWith: { first, _ in first })

        // Places: each team's base, then each visit's address; times in seconds from the day's start.
        var places: [Coordinate] = []
        var planningTeams: [PlanningTeam] = []
        var planned: [CareTeamRecord] = []
        for team in teams {
            guard let base = locator.centroid(of: team.settings.baseZip),
                let shift = team.settings.shift(on: weekday)?.minutes,
                let starts = Self.instant(day, minutes: shift.lowerBound, in: zone, span: span),
                let ends = Self.instant(day, minutes: shift.upperBound, in: zone, span: span)
            else { continue }
            planningTeams.append(
                PlanningTeam(
                    id: team.id.wire, base: places.count,
                    shift: starts.timeIntervalSince(span.start)...ends.timeIntervalSince(span.start),
                    serviceLines: Set(team.settings.serviceLines)))
            planned.append(team)
            places.append(base)
        }
        var visits: [PlanningVisit] = []
        var unplanned: [ProposedDay.Unplanned] = []
        var extra: [String: Int] = [:]
        var pins: [String: CareTeamID] = [:]
        var pinnedBy: [String: String] = [:]
        for request in requests {
            let id = CareRequestID(try request.requireID())
            if id == excluding { continue }
            let pin = request.pinnedCareTeamID.map { CareTeamID($0) }
            if pin != nil, let who = request.pinnedBy { pinnedBy[id.wire] = who }
            guard let window = request.timeWindow else {
                unplanned.append(.init(careRequest: id, reason: "no_valid_window", pinnedTeam: pin))
                continue
            }
            guard let place = locator.place(zip: request.visitAddress.zip, address: request.visitAddress.line1) else {
                unplanned.append(.init(careRequest: id, reason: "address_not_located", pinnedTeam: pin))
                continue
            }
            pins[id.wire] = pin
            // A line without a code (made before codes existed) is a requirement no team lists: never "any team".
            let line = lines[request.serviceLineID]
            extra[id.wire] = request.extraVisitMinutes ?? 0
            let minutes =
                (line?.visitMinutes ?? ServiceLineSettings.defaultVisitMinutes) + (request.extraVisitMinutes ?? 0)
            visits.append(
                PlanningVisit(
                    id: id.wire, location: places.count,
                    window: window.start.timeIntervalSince(span.start)...window.end.timeIntervalSince(span.start),
                    duration: Double(minutes * 60),
                    serviceLine: line?.code ?? "id:\(request.serviceLineID.uuidString)", team: pin?.wire))
            places.append(place)
        }
        let problem = PlanningProblem(
            visits: visits, teams: planningTeams, travel: market.travel.matrix(places + extraPlaces))
        return DayProblem(
            problem: problem, span: span, teams: planned, extraMinutes: extra, pins: pins, pinnedBy: pinnedBy,
            unplanned: unplanned, extraPlaces: places.count)
    }

    /// Plans `problem` with the day's search budget on the planning queue, off Swift's shared threads.
    static func plan(
        _ problem: PlanningProblem, options: PlannerOptions = planningBudget, queue: DispatchQueue? = nil
    ) async throws -> DispatchPlanner {
        try await withCheckedThrowingContinuation { continuation in
            (queue ?? Self.planningQueue).async {
                continuation.resume(
                    with: Result {
                        var planner = try DispatchPlanner(problem: problem)
                        planner.optimise(options)
                        return planner
                    })
            }
        }
    }

    /// The instant a market-local day's clock shows `minutes` after midnight (24:00 is the day's end), by the
    /// clock: 07:00 is 07:00 on the days daylight saving time starts and ends too.
    static func instant(_ day: LocalDate, minutes: Int, in zone: TimeZone, span: DateInterval) -> Date? {
        if minutes >= 24 * 60 { return span.end }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(
            from: DateComponents(
                year: day.year, month: day.month, day: day.day, hour: minutes / 60, minute: minutes % 60))
    }
}

extension UnplannedVisit.Reason {
    /// The reason as the API names it.
    var code: String {
        switch self {
        case .noTeams: "no_team_working"
        case .noTeamWithServiceLine: "no_team_with_service_line"
        case .outsideEveryShift: "outside_every_shift"
        case .overCapacity: "over_capacity"
        case .noRoomLeft: "no_room_left"
        case .pinnedTeamAbsent: "pinned_team_not_working"
        }
    }
}

extension MarketModel {
    /// The market's travel estimate: great-circle distance times its road factor, at its average speed.
    var travel: GreatCircleTravel {
        GreatCircleTravel(roadFactor: roadFactor, speed: Double(averageSpeedMph) * 1.609_344)
    }
}
