import ConsoleDomain
import Foundation
import Platform
import StationAPI
import Vapor
import Vocabulary

/// A dispatcher's changes to one stop of the proposed routes: it runs longer, it is pinned to a team, it moves
/// earlier or later in its route. Each goes to Station, which plans the day with it and refuses what breaks.
extension BoardController {
    /// What the running-late form sends: the place, and the minutes the visit runs longer as typed.
    struct ExtraTimeInput: Content {
        var market: String
        var date: String
        var extraMinutes: String?

        enum CodingKeys: String, CodingKey {
            case market, date
            case extraMinutes = "extra_minutes"
        }
    }

    /// `POST /board/plan/requests/:id/extra-time`: a team running late. The visit runs the minutes given longer
    /// (0 takes it back); Station plans the day again and moves the estimates after it, telling partners and
    /// patients. A refusal shows the plan again with why.
    func extendVisit(req: Request) async throws -> Response {
        guard let id = CareRequestID(wire: req.parameters.get("id") ?? "") else { throw Abort(.notFound) }
        let input = try req.content.decode(ExtraTimeInput.self)
        let place = try await BoardPlace(req, market: input.market, date: input.date, now: service.now())
        let typed = (input.extraMinutes ?? "").trimmingCharacters(in: .whitespaces)
        guard typed.count <= 3, typed.allSatisfy({ $0.isASCII && $0.isNumber }), let minutes = Int(typed),
            (0...240).contains(minutes)
        else {
            return try await renderPlan(
                req, place, alert: "Enter the minutes the visit runs longer as a whole number from 0 to 240.",
                status: .unprocessableEntity)
        }
        return try await changeStop(
            req, id, place, action: "board.visit_extended",
            detail: "market \(place.marketID.wire) extra_minutes \(minutes)",
            send: { try await $0.extendVisit(id, minutes: minutes) }
        ) { result in
            let moved = result.moved.compactMap(CareRequestID.init(wire:))
            var message =
                minutes == 0
                ? "The visit takes its usual time again" : "The visit runs \(Self.count(minutes, "minute")) longer"
            message +=
                moved.isEmpty
                ? "; no estimate moved."
                : "; \(Self.count(moved.count, "estimate")) moved, and their partners and patients are told."
            if !result.unplanned.isEmpty {
                let count = result.unplanned.count
                message +=
                    " \(Self.count(count, "request")) of the day \(count == 1 ? "is" : "are") not planned: see Not planned."
            }
            return StopChange(message: message, moved: moved, detail: " moved \(moved.count)", signalsLive: true)
        }
    }

    /// What a change to a stop did, for ``changeStop(_:_:_:action:detail:send:done:)``: the flash, the requests
    /// whose estimates moved (audited with the stop), what the audit detail adds, and whether the live pages hear.
    struct StopChange {
        var message: String
        var moved: [CareRequestID] = []
        var detail = ""
        var signalsLive = false
    }

    /// A dispatcher's change to one stop of the proposed routes, sent to Station: authorized and audited as
    /// `action` with `detail`. A refusal (400, 404, 409, 422) shows the plan again with Station's why and the
    /// patients of the visits it names, and is audited as failed; otherwise `done` words the flash, and the page
    /// goes back to the stop.
    private func changeStop<Answer: Sendable>(
        _ req: Request, _ id: CareRequestID, _ place: BoardPlace, action: String, detail: String,
        send: (BoardStation) async throws -> Answer, done: (Answer) -> StopChange
    ) async throws -> Response {
        let decision = try await req.authorize(.dispatch, .careRequest(id), auditAction: action)
        let answer: Answer
        do {
            answer = try await send(BoardStation(client: req.station()))
        } catch let problem as StationProblem where [400, 404, 409, 422].contains(problem.status) {
            try await req.audit(
                AuditEntry(
                    action, outcome: "failed", careRequests: [id], decisionID: decision.id,
                    detail: "\(detail) \(problem.status)"))
            return try await renderPlan(
                req, place, alert: problem.message, alertNames: problem.affectedCareRequests.map(\.wire),
                status: HTTPResponseStatus(statusCode: problem.status))
        }
        let change = done(answer)
        try await req.audit(
            AuditEntry(
                action, careRequests: [id] + change.moved, decisionID: decision.id, detail: detail + change.detail))
        if change.signalsLive { await service.signalLive(logger: req.logger) }
        req.flash("success", change.message)
        return req.redirect(to: "/board/plan?market=\(place.marketID.wire)&date=\(place.day.date.iso)#stop-\(id.wire)")
    }

    /// What the team form sends: the place, and the team to pin the stop to ("" lets the planner choose).
    struct TeamInput: Content {
        var market: String
        var date: String
        var team: String?
    }

    /// `POST /board/plan/requests/:id/team`: moves a stop to the chosen team and pins it there, or lets the planner
    /// choose again. Station plans the day with it first and refuses a move that breaks the plan: the page then
    /// says what breaks, naming the visits that would no longer fit, and nothing changes.
    func pinVisit(req: Request) async throws -> Response {
        guard let id = CareRequestID(wire: req.parameters.get("id") ?? "") else { throw Abort(.notFound) }
        let input = try req.content.decode(TeamInput.self)
        let place = try await BoardPlace(req, market: input.market, date: input.date, now: service.now())
        let typed = (input.team ?? "").trimmingCharacters(in: .whitespaces)
        let team = CareTeamID(wire: typed)
        guard typed.isEmpty || team != nil else {
            return try await renderPlan(
                req, place, alert: "Choose one of the day's care teams, or Planner's choice.",
                status: .unprocessableEntity)
        }
        return try await changeStop(
            req, id, place, action: team == nil ? "board.visit_unpinned" : "board.visit_pinned",
            detail: "market \(place.marketID.wire)" + (team.map { " team \($0.wire)" } ?? ""),
            send: { try await $0.pinVisit(id, to: team) }
        ) { result in
            var message =
                team == nil
                ? "The planner chooses this visit's team again" : "The visit is pinned to the team you chose"
            if let start = result.startsAt { message += "; it starts at \(place.day.clock(start))" }
            return StopChange(message: message + Self.travelChange(result.travelChangeSeconds))
        }
    }

    /// "; the day's travel grows by 14 min. Accept the plan to send the new estimates." (no travel part under a
    /// minute).
    static func travelChange(_ seconds: Int) -> String {
        (abs(seconds) < 60
            ? "." : "; the day's travel \(seconds > 0 ? "grows" : "shrinks") by \(Self.minutes(abs(seconds))).")
            + " Accept the plan to send the new estimates."
    }

    /// What the Earlier and Later buttons send: the place, and the stop's new position (from 0) in its route.
    struct PositionInput: Content {
        var market: String
        var date: String
        var position: String?
    }

    /// `POST /board/plan/requests/:id/position`: puts a stop earlier or later in its team's route, on a day that
    /// follows accepted routes. Station plans the day in that order and refuses an order the team cannot make (or
    /// one that leaves another visit unplanned): the page then says what breaks, and nothing changes.
    func orderVisit(req: Request) async throws -> Response {
        guard let id = CareRequestID(wire: req.parameters.get("id") ?? "") else { throw Abort(.notFound) }
        let input = try req.content.decode(PositionInput.self)
        let place = try await BoardPlace(req, market: input.market, date: input.date, now: service.now())
        guard let position = input.position.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), position >= 0
        else {
            return try await renderPlan(
                req, place, alert: "Choose Earlier or Later on the stop to move.", status: .unprocessableEntity)
        }
        return try await changeStop(
            req, id, place, action: "board.visit_ordered", detail: "market \(place.marketID.wire) position \(position)",
            send: { try await $0.orderVisit(id, at: position) }
        ) { result in
            StopChange(
                message: "The visit is now stop \(result.position + 1) of its team's route; it starts at "
                    + place.day.clock(result.startsAt) + Self.travelChange(result.travelChangeSeconds))
        }
    }
}
