import ConsoleDomain
import Foundation
import Platform
import StationAPI
import Vapor
import Vocabulary

/// `GET /board/plan?market=&date=`: the dispatch planner's proposed routes for the board's day: each working team's
/// stops in order with its start (the estimate partners would see), any wait for the window to open and slack, and the booked requests it could
/// not plan, with why. Read-only: nothing is saved until a dispatcher accepts a plan (not built yet).
extension BoardController {
    func planPage(req: Request) async throws -> Response {
        let place = try await BoardPlace(req, market: req.query["market"], date: req.query["date"], now: service.now())
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
        let page = PlanPage(
            marketID: place.marketID.wire, marketName: place.market.name, date: day.date.iso,
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
                            number: number + 1, patientName: items[stop.careRequestId]?.patientName ?? "A request",
                            serviceLine: items[stop.careRequestId]?.serviceLine.name ?? "",
                            window: window(stop.careRequestId),
                            wait: Self.wait(stop.startsAt.timeIntervalSince(stop.arrivesAt)),
                            starts: day.clock(stop.startsAt), slack: Self.minutes(stop.slackSeconds))
                    })
            },
            unplannedCount: plan.unplanned.count,
            unplanned: plan.unplanned.map {
                PlanPage.Unplanned(
                    patientName: items[$0.careRequestId]?.patientName ?? "A request", window: window($0.careRequestId),
                    reason: Self.reason($0.reason))
            })
        return try await req.page(
            "board-plan", title: "Proposed routes · \(place.market.name)", section: "board", page)
    }

    /// How long the team waits at the door for the window to open ("–" for less than a minute).
    static func wait(_ seconds: TimeInterval) -> String {
        seconds < 60 ? "–" : minutes(Int(seconds))
    }

    static func minutes(_ seconds: Int) -> String {
        let minutes = seconds / 60
        return minutes < 60 ? "\(minutes) min" : "\(minutes / 60) h \(minutes % 60) min"
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
        }
    }
}

/// The proposed routes page (`board-plan.leaf`).
struct PlanPage: Encodable {
    var marketID: String
    var marketName: String
    var date: String
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
        var patientName: String
        var serviceLine: String
        var window: String
        var wait: String
        var starts: String
        var slack: String
    }

    struct Unplanned: Encodable {
        var patientName: String
        var window: String
        var reason: String
    }
}
