import ConsoleDomain
import Foundation
import Platform
import StationAPI
import Vapor
import Vocabulary

extension BoardController {
    /// What a move form sends: the move, the status the dispatcher saw, where to come back to, and what the move
    /// needs (an arrival estimate for schedule, a reason for archive).
    struct MoveInput: Content {
        var move: String
        var expected: String
        var market: String
        var date: String
        var etaDate: String?
        var etaStart: String?
        var etaEnd: String?
        var reason: String?

        enum CodingKeys: String, CodingKey {
            case move, expected, market, date, reason
            case etaDate = "eta_date"
            case etaStart = "eta_start"
            case etaEnd = "eta_end"
        }
    }

    /// `POST /board/requests/:id/move`: through Station with the dispatcher's own token, stating the status they
    /// saw, so a request someone else moved meanwhile is refused with who moved it and the fresh board is shown.
    func move(req: Request) async throws -> Response {
        guard let id = CareRequestID(wire: req.parameters.get("id") ?? "") else { throw Abort(.notFound) }
        let input = try req.content.decode(MoveInput.self)
        guard let move = BoardMove(rawValue: input.move), let expected = CareRequestStatus(rawValue: input.expected)
        else { throw Abort(.badRequest, reason: "That move is not one the board offers.") }
        let place = try await BoardPlace(req, market: input.market, date: input.date, now: service.now())
        var typed = BoardFormState.ItemState()
        typed.estimate = ArrivalEstimateForm(
            date: input.etaDate ?? "", start: input.etaStart ?? "", end: input.etaEnd ?? "")
        typed.reason = input.reason ?? ""
        let change: BoardMoveRequest
        do {
            change = try BoardMoveRequest(
                move: move, expected: expected, estimate: move.needsArrivalEstimate ? typed.estimate : nil,
                reason: input.reason, timeZone: place.day.timeZone)
        } catch {
            typed.errors = error
            typed.message = "\(move.label) was not sent: correct the fields below."
            return try await render(
                req, place, alert: typed.message, state: .init(items: [id.wire: typed]), status: .unprocessableEntity)
        }
        let decision = try await req.authorize(.dispatch, .careRequest(id), auditAction: "board.moved")
        let partner: PartnerID?
        do {
            partner = try await BoardStation(client: req.station()).move(id, change)
        } catch let problem as StationProblem where [400, 409, 422].contains(problem.status) {
            try await req.audit(
                AuditEntry(
                    "board.moved", outcome: "failed", careRequests: [id], decisionID: decision.id,
                    detail: "\(expected.rawValue)->\(move.target.rawValue) \(problem.status)"))
            typed.message = problem.message
            for (field, message) in problem.fieldErrors {
                switch field {
                case "reason": typed.errors.fields[.reason] = message
                case let f where f.hasPrefix("eta"): typed.errors.fields[.etaEnd] = message
                default: break
                }
            }
            return try await render(
                req, place, alert: problem.message, state: .init(items: [id.wire: typed]),
                status: HTTPResponseStatus(statusCode: problem.status))
        }
        try await req.audit(
            AuditEntry(
                "board.moved", careRequests: [id], decisionID: decision.id,
                detail: "\(expected.rawValue)->\(move.target.rawValue)"))
        await service.tracker.track(
            TrackedEvent(
                .visitStatusChanged, [.status: .string(move.target.rawValue), .careRequestID: .string(id.wire)]),
            by: .user(try req.staffMember.id), partner: partner)
        req.flash("success", "Moved to \(BoardWording.status(move.target)).")
        return req.redirect(to: Self.address(place, anchor: "request-\(id.wire)"))
    }

    /// What the capacity form sends.
    struct CapacityInput: Content {
        var market: String
        var date: String
        var windowStart: String
        var places: String

        enum CodingKeys: String, CodingKey {
            case market, date, places
            case windowStart = "window_start"
        }
    }

    /// `POST /board/capacity`: one window's places for its day; 0 closes it. Reducing below what is booked is
    /// refused by Station with the requests it would drop, listed beside the window.
    func capacity(req: Request) async throws -> Response {
        let input = try req.content.decode(CapacityInput.self)
        let place = try await BoardPlace(req, market: input.market, date: input.date, now: service.now())
        guard let start = try? Date(input.windowStart, strategy: .iso8601) else {
            throw Abort(.badRequest, reason: "That window is not on the board.")
        }
        var typed = BoardFormState.WindowState(places: input.places)
        let places: Int
        do {
            places = try CapacityForm(places: input.places).value()
        } catch {
            typed.message = error[.places]
            return try await render(
                req, place, alert: typed.message, state: .init(windows: [start: typed]), status: .unprocessableEntity)
        }
        let detail = "market \(place.marketID.wire) window \(input.windowStart) places \(places)"
        do {
            _ = try await BoardStation(client: req.station()).setCapacity(
                market: place.marketID, windowStart: start, places: places)
        } catch let problem as StationProblem where [400, 409, 422].contains(problem.status) {
            try await req.audit(
                AuditEntry(
                    "board.capacity_changed", outcome: "failed", careRequests: problem.affectedCareRequests,
                    detail: "\(detail) \(problem.status)"))
            typed.message = problem.message
            typed.affected = problem.affectedCareRequests
            return try await render(
                req, place, alert: problem.message, state: .init(windows: [start: typed]),
                status: HTTPResponseStatus(statusCode: problem.status))
        }
        try await req.audit(AuditEntry("board.capacity_changed", detail: detail))
        await service.signalLive(logger: req.logger)
        let window = place.day.clock(start)
        req.flash(
            "success",
            places == 0
                ? "Closed the window starting \(window)." : "The window starting \(window) has \(places) places.")
        return req.redirect(to: Self.address(place, anchor: nil))
    }

    /// The board's address for a market and day (ids and a date only).
    static func address(_ place: BoardPlace, anchor: String?) -> String {
        "/board?market=\(place.marketID.wire)&date=\(place.day.date.iso)" + (anchor.map { "#" + $0 } ?? "")
    }
}
