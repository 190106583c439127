import ConsoleDomain
import Foundation
import Platform
import StationAPI
import Vapor
import Vocabulary

/// `GET /board/plan?market=&date=`: the dispatch planner's proposed routes for the board's day: each working team's
/// stops in order with its start and the arrival estimate accepting gives, any wait for the window to open and
/// slack, and the booked requests it could not plan, with why. Nothing is saved until a dispatcher accepts the plan
/// (`POST /board/plan/accept`).
extension BoardController {
    func planPage(req: Request) async throws -> Response {
        let place = try await BoardPlace(req, market: req.query["market"], date: req.query["date"], now: service.now())
        return try await renderPlan(req, place)
    }

    /// What the accept form sends: the place and the version of the plan the dispatcher saw.
    struct AcceptPlanInput: Content {
        var market: String
        var date: String
        var version: String
    }

    /// `POST /board/plan/accept`: gives every planned request its arrival estimate through Station, with the
    /// dispatcher's own token, if the plan is still the one shown; a plan that changed meanwhile is shown again,
    /// fresh, with why nothing was set.
    func acceptPlan(req: Request) async throws -> Response {
        let input = try req.content.decode(AcceptPlanInput.self)
        let place = try await BoardPlace(req, market: input.market, date: input.date, now: service.now())
        let detail = "market \(place.marketID.wire) date \(place.day.date.iso)"
        let decision = try await req.authorize(
            .dispatch, PolicyResource(kind: "care_request", id: nil), auditAction: "board.plan_accepted")
        let accepted: Components.Schemas.DayPlanAccepted
        do {
            accepted = try await BoardStation(client: req.station()).acceptPlan(
                market: place.marketID, day: place.day.date, version: input.version)
        } catch let problem as StationProblem where [400, 409, 422].contains(problem.status) {
            try await req.audit(
                AuditEntry(
                    "board.plan_accepted", outcome: "failed", decisionID: decision.id,
                    detail: "\(detail) \(problem.status)"))
            return try await renderPlan(
                req, place, alert: problem.message, status: HTTPResponseStatus(statusCode: problem.status))
        }
        let left = accepted.left.compactMap(CareRequestID.init(wire:))
        try await req.audit(
            AuditEntry(
                "board.plan_accepted", careRequests: left, decisionID: decision.id,
                detail:
                    "\(detail) scheduled \(accepted.scheduled) moved \(accepted.moved) unchanged \(accepted.unchanged) left \(left.count)"
            ))
        await service.signalLive(logger: req.logger)
        req.flash("success", Self.acceptedMessage(accepted))
        return req.redirect(to: "/board/plan?market=\(place.marketID.wire)&date=\(place.day.date.iso)")
    }

    /// What the plan-again form sends: the place.
    struct PlaceInput: Content {
        var market: String
        var date: String
    }

    /// `POST /board/plan/again`: lets go of the day's accepted routes, so that the page shows the whole day planned
    /// afresh (nothing changes for partners or patients until a dispatcher accepts it).
    func planAgain(req: Request) async throws -> Response {
        let input = try req.content.decode(PlaceInput.self)
        let place = try await BoardPlace(req, market: input.market, date: input.date, now: service.now())
        let detail = "market \(place.marketID.wire) date \(place.day.date.iso)"
        let decision = try await req.authorize(
            .dispatch, PolicyResource(kind: "care_request", id: nil), auditAction: "board.plan_replanned")
        do {
            try await BoardStation(client: req.station()).planDayAgain(market: place.marketID, day: place.day.date)
        } catch let problem as StationProblem where [400, 404].contains(problem.status) {
            try await req.audit(
                AuditEntry(
                    "board.plan_replanned", outcome: "failed", decisionID: decision.id,
                    detail: "\(detail) \(problem.status)"))
            return try await renderPlan(
                req, place, alert: problem.message, status: HTTPResponseStatus(statusCode: problem.status))
        }
        try await req.audit(AuditEntry("board.plan_replanned", decisionID: decision.id, detail: detail))
        req.flash(
            "success",
            "The whole day is planned afresh below. Nothing changes for partners or patients until you accept it.")
        return req.redirect(to: "/board/plan?market=\(place.marketID.wire)&date=\(place.day.date.iso)")
    }

    /// "Plan accepted: 3 requests scheduled, 1 estimate moved, 2 already set; 1 left as it was (on the way, or
    /// changed by someone else)."
    static func acceptedMessage(_ accepted: Components.Schemas.DayPlanAccepted) -> String {
        var parts: [String] = []
        if accepted.scheduled > 0 { parts.append(Self.count(accepted.scheduled, "request") + " scheduled") }
        if accepted.moved > 0 { parts.append(Self.count(accepted.moved, "estimate") + " moved") }
        if accepted.unchanged > 0 { parts.append("\(accepted.unchanged) already set") }
        var message = "Plan accepted: " + (parts.isEmpty ? "nothing to set" : parts.joined(separator: ", "))
        if !accepted.left.isEmpty {
            message +=
                "; \(Self.count(accepted.left.count, "request")) left as \(accepted.left.count == 1 ? "it was" : "they were")"
                + " (on the way, on scene, or changed by someone else meanwhile)"
        }
        return message + ". Partners and patients are told their estimates."
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// `alertNames`: requests the alert is about, named under it by their patients (a move that breaks the plan).
    func renderPlan(
        _ req: Request, _ place: BoardPlace, alert: String? = nil, alertNames: [String] = [],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        // The board's names for the requests; reading it authorizes and audits what the page shows.
        let board = try await fetchAudited(req, place)
        let plan = try await BoardStation(client: req.station()).plan(market: place.marketID, day: place.day.date)
        let day = place.day
        let items = Dictionary(
            (board.windows.flatMap(\.requests) + board.unscheduled).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }
        )
        func window(_ id: String) -> String {
            guard let item = items[id], let start = item.windowStart, let end = item.windowEnd else { return "" }
            return day.clockRange(DateInterval(start: start, end: end))
        }
        let teams = plan.routes.map { (id: $0.teamId, name: $0.teamName) }
        /// The team choices of one stop: the planner's choice, then every team working the day (and the team it is
        /// pinned to when that one does not work the day, chosen, so that the choice shown is the pin).
        func options(pinnedTo pinned: String?) -> [PlanPage.Option] {
            var options =
                [PlanPage.Option(value: "", label: "Planner's choice", selected: pinned == nil)]
                + teams.map { PlanPage.Option(value: $0.id, label: $0.name, selected: $0.id == pinned) }
            if let pinned, !teams.contains(where: { $0.id == pinned }) {
                options.append(PlanPage.Option(value: pinned, label: "A team not working this day", selected: true))
            }
            return options
        }
        let page = PlanPage(
            marketID: place.marketID.wire, marketName: place.market.name, date: day.date.iso, version: plan.version,
            csrf: req.webSession.csrfToken, alert: alert,
            follows: plan.follows.map {
                "This plan follows the routes \($0.acceptedBy) accepted on "
                    + DateText.string($0.acceptedAt, "MMMM d 'at' HH:mm", zone: day.timeZone)
                    + ": each team keeps its stops in order, and new bookings are added where they fit."
            },
            search: plan.search.map(Self.search),
            betterPlan: plan.search?.state == .betterPlan,
            alertNames: alertNames.map { items[$0]?.patientName ?? "A request" },
            stopCount: plan.routes.reduce(0) { $0 + $1.stops.count },
            dayLabel: day.instant(minutesAfterMidnight: 12 * 60).map {
                DateText.string($0, "EEEE, MMMM d, yyyy", zone: day.timeZone)
            } ?? day.date.iso,
            timeZone: day.timeZone.identifier,
            routes: plan.routes.map { route in
                PlanPage.Route(
                    team: route.teamName, hours: "\(day.clock(route.leavesAt))–\(day.clock(route.returnsAt))",
                    travel: Self.minutes(route.travelSeconds),
                    stops: route.stops.enumerated().map { number, stop in
                        PlanPage.Stop(
                            number: number + 1, careRequestID: stop.careRequestId,
                            patientName: items[stop.careRequestId]?.patientName ?? "A request",
                            serviceLine: items[stop.careRequestId]?.serviceLine.name ?? "",
                            window: window(stop.careRequestId),
                            wait: Self.wait(stop.startsAt.timeIntervalSince(stop.arrivesAt)),
                            starts: day.clock(stop.startsAt),
                            estimate: day.clockRange(DateInterval(start: stop.estimate.start, end: stop.estimate.end)),
                            status: items[stop.careRequestId].flatMap {
                                CareRequestStatus(rawValue: $0.status.rawValue)
                            }
                            .map(BoardWording.status) ?? "",
                            slack: Self.minutes(stop.slackSeconds), extraMinutes: String(stop.extraMinutes),
                            pinned: stop.pinned, pinLabel: stop.pinnedBy.map { "Pinned by \($0)" } ?? "Pinned",
                            teams: options(pinnedTo: stop.pinned ? route.teamId : nil),
                            movesEarlier: plan.follows != nil && number > 0, earlier: number - 1,
                            movesLater: plan.follows != nil && number < route.stops.count - 1, later: number + 1)
                    })
            },
            unplannedCount: plan.unplanned.count,
            unplanned: plan.unplanned.map {
                PlanPage.Unplanned(
                    careRequestID: $0.careRequestId,
                    patientName: items[$0.careRequestId]?.patientName ?? "A request", window: window($0.careRequestId),
                    reason: Self.reason(
                        $0.reason, pinnedTo: $0.pinnedTeamId.flatMap { team in teams.first { $0.id == team }?.name },
                        by: $0.pinnedBy),
                    extraMinutes: $0.extraMinutes, pinned: $0.pinnedTeamId != nil,
                    teams: options(pinnedTo: $0.pinnedTeamId))
            })
        return try await req.page(
            "board-plan", title: "Proposed routes · \(place.market.name)", section: "board", page, status: status)
    }

    /// How long the team waits at the door for the window to open ("–" for less than a minute).
    static func wait(_ seconds: TimeInterval) -> String {
        seconds < 60 ? "–" : minutes(Int(seconds))
    }

    /// What the search of the whole day, run in Station in the background, found for a plan following accepted routes.
    static func search(_ search: Components.Schemas.DayPlan.SearchPayload) -> String {
        switch search.state {
        case .searching:
            return "The planner is searching the whole day in the background for a better plan; reload this page in a"
                + " moment to see what it finds."
        case .noBetterPlan:
            return "A search of the whole day, for the bookings as they are now, found no better plan than this one."
        case .betterPlan:
            let saved = search.travelSecondsSaved ?? 0
            let more = search.morePlanned ?? 0
            var gains: [String] = []
            if more > 0 { gains.append("fits \(count(more, "more visit"))") }
            if saved > 0 {
                gains.append("travels \(minutes(saved)) less")
            } else if saved < 0 {
                gains.append("travels \(minutes(-saved)) more to do so")
            }
            return "A search of the whole day found a better plan: it \(gains.joined(separator: " and "))."
                + " Plan the day afresh to see it."
        }
    }

    static func minutes(_ seconds: Int) -> String {
        let minutes = seconds / 60
        return minutes < 60 ? "\(minutes) min" : "\(minutes / 60) h \(minutes % 60) min"
    }

    /// Why a request is not planned; `pinnedTo`, the name of the team a dispatcher pinned it to, and `by`, who.
    static func reason(
        _ reason: Components.Schemas.UnplannedRequest.ReasonPayload, pinnedTo team: String? = nil, by who: String? = nil
    ) -> String {
        guard let team else { return Self.reason(reason) }
        let pinned =
            "It is pinned to \(team)\(who.map { " (by \($0))" } ?? ""): choose Planner's choice to let any team take it."
        return switch reason {
        case .noTeamWithServiceLine: "\(team) does not deliver its service line. \(pinned)"
        case .outsideEveryShift:
            "\(team)'s shift does not reach it inside its window and get back in time. \(pinned)"
        case .overCapacity: "It needs more than \(team) can take. \(pinned)"
        case .noRoomLeft: "\(team)'s day is full around its window. \(pinned)"
        case .pinnedTeamNotWorking, .noTeamWorking: "\(team) does not work this day. \(pinned)"
        case .noValidWindow, .addressNotLocated: Self.reason(reason)
        }
    }

    static func reason(_ reason: Components.Schemas.UnplannedRequest.ReasonPayload) -> String {
        switch reason {
        case .noValidWindow: "It has no window to plan it in."
        case .addressNotLocated: "Its address's ZIP code is not one the planner can place."
        case .noTeamWorking: "No care team of this market works this day."
        case .noTeamWithServiceLine: "No care team working this day delivers its service line."
        case .outsideEveryShift: "No team's shift reaches it inside its window and gets back in time."
        case .overCapacity: "It needs more than any team can take."
        case .noRoomLeft: "Every team that could make it is full around its window."
        case .pinnedTeamNotWorking:
            "The team it is pinned to does not work this day: choose Planner's choice to let any team take it."
        }
    }
}

/// The proposed routes page (`board-plan.leaf`).
struct PlanPage: Encodable {
    var marketID: String
    var marketName: String
    var date: String
    var version: String
    var csrf: String
    var alert: String?
    /// Whose accepted routes the plan follows, and since when; nil when the whole day is planned afresh.
    var follows: String?
    /// When it follows accepted routes: what the search of the whole day in the background found.
    var search: String?
    /// Whether that search found a better plan (the form then says so first).
    var betterPlan: Bool
    /// The patients of the requests the alert names (the visits a refused move would leave unplanned).
    var alertNames: [String]
    var stopCount: Int
    var dayLabel: String
    var timeZone: String
    var routes: [Route]
    var unplannedCount: Int
    var unplanned: [Unplanned]

    struct Route: Encodable {
        var team: String
        var hours: String
        var travel: String
        var stops: [Stop]
    }

    struct Stop: Encodable {
        var number: Int
        var careRequestID: String
        var patientName: String
        var serviceLine: String
        var window: String
        var wait: String
        var starts: String
        var estimate: String
        var status: String
        var slack: String
        /// The minutes a dispatcher said the visit runs longer, as its form shows them.
        var extraMinutes: String
        /// Whether a dispatcher pinned it to this team.
        var pinned: Bool
        /// "Pinned by Dee Dispatcher" (or "Pinned" when who is not known).
        var pinLabel: String
        var teams: [Option]
        /// Whether the Earlier and Later buttons are shown: not for the first or last stop, nor on a day that does not
        /// follow accepted routes (until then the planner orders every stop); with the positions (from 0) they ask for.
        var movesEarlier: Bool
        var earlier: Int
        var movesLater: Bool
        var later: Int
    }

    /// One choice of a stop's team form.
    struct Option: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Unplanned: Encodable {
        var careRequestID: String
        var patientName: String
        var window: String
        var reason: String
        /// Minutes it was marked as running longer: the page offers to take them back.
        var extraMinutes: Int
        /// Pinned to a team: its team form is always shown, so that the pin can be taken off.
        var pinned: Bool
        var teams: [Option]
    }
}
