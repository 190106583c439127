import ConsoleDomain
import Foundation
import Platform
import StationAPI
import Vapor
import Vocabulary

/// The dispatch board: one market's day, each window with its places and requests, and the moves Station allows.
/// Mounted behind `RequireRole(.dispatcher)`. The board shows patient names, so every render is authorized by
/// Policy and audited with its decision id first; addresses carry ids and dates only.
struct BoardController: RouteCollection {
    let service: ConsoleService

    func boot(routes: any RoutesBuilder) throws {
        let board = routes.grouped("board")
        board.get(use: page)
        board.get("windows", use: windows)
        board.get("plan", use: planPage)
        board.post("plan", "accept", use: acceptPlan)
        board.post("plan", "requests", ":id", "extra-time", use: extendVisit)
        board.post("plan", "requests", ":id", "team", use: pinVisit)
        board.post("plan", "requests", ":id", "position", use: orderVisit)
        board.post("plan", "again", use: planAgain)
        board.post("requests", ":id", "move", use: move)
        board.post("capacity", use: capacity)
    }

    /// `GET /board?market=&date=`: the dispatcher's first market and its today unless the query names others.
    func page(req: Request) async throws -> Response {
        let place = try await BoardPlace(req, market: req.query["market"], date: req.query["date"], now: service.now())
        return try await render(req, place)
    }

    /// `GET /board/windows?market=&date=`: the windows section alone, fetched again on every live event.
    func windows(req: Request) async throws -> Response {
        let place = try await BoardPlace(req, market: req.query["market"], date: req.query["date"], now: service.now())
        let board = try await fetchAudited(req, place)
        struct WindowsOnly: Encodable { var board: BoardWindowsView }
        let view = BoardWindowsView(
            board, day: place.day, market: place.marketID, csrf: req.webSession.csrfToken, state: .init())
        return try await req.fragment("board-windows", WindowsOnly(board: view))
    }

    /// The board page, fresh from Station, with `state`'s messages beside what they are about.
    func render(
        _ req: Request, _ place: BoardPlace, alert: String? = nil, state: BoardFormState = .init(),
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let board = try await fetchAudited(req, place)
        let day = place.day
        let page = BoardPage(
            markets: place.markets.map { .init(id: $0.id, name: $0.name, selected: $0.id == place.marketID.wire) },
            marketID: place.marketID.wire, marketName: place.market.name,
            day: .init(
                iso: day.date.iso,
                label: day.instant(minutesAfterMidnight: 12 * 60).map {
                    DateText.string($0, "EEEE, MMMM d, yyyy", zone: day.timeZone)
                } ?? day.date.iso,
                previous: day.previous?.date.iso, next: day.next?.date.iso, isToday: day.isToday(at: service.now()),
                timeZone: day.timeZone.identifier),
            alert: alert,
            board: BoardWindowsView(
                board, day: day, market: place.marketID, csrf: req.webSession.csrfToken, state: state))
        return try await req.page(
            "board", title: "Dispatch board · \(place.market.name)", section: "board", page, status: status)
    }

    /// The day's board from Station, once Policy allowed it and the audit recorded which requests it shows.
    func fetchAudited(_ req: Request, _ place: BoardPlace) async throws -> BoardStation.Board {
        let decision = try await req.authorize(
            .read, PolicyResource(kind: "care_request", id: nil), auditAction: "board.viewed")
        let board = try await BoardStation(client: req.station()).board(market: place.marketID, day: place.day.date)
        let ids = (board.windows.flatMap(\.requests) + board.unscheduled).compactMap { CareRequestID(wire: $0.id) }
        try await req.audit(
            AuditEntry(
                "board.viewed", careRequests: ids, decisionID: decision.id,
                detail: "market \(place.marketID.wire) \(place.day.date.iso)"))
        return board
    }
}

/// Which market and day a board request names, checked against the dispatcher's markets.
struct BoardPlace {
    var markets: [BoardStation.Market]
    var market: BoardStation.Market
    var marketID: MarketID
    var day: BoardDay

    /// No market named: the first of the dispatcher's; a market outside them: 404; no date: today there.
    init(_ req: Request, market raw: String?, date: String?, now: Date) async throws {
        let staff = try req.staffMember
        let markets = try await BoardStation(client: req.station()).markets(for: staff)
        self.markets = markets
        let chosen = raw.map { raw in markets.first { $0.id == raw } } ?? markets.first
        guard let chosen, let id = MarketID(wire: chosen.id) else {
            if markets.isEmpty, raw == nil {
                throw Abort(.notFound, reason: "You are not assigned to any market. Ask an operations admin.")
            }
            throw Abort(.notFound)
        }
        let zone = TimeZone(identifier: chosen.timeZone) ?? .gmt
        guard let day = BoardDay(query: date, now: now, timeZone: zone) else {
            throw Abort(.badRequest, reason: "Choose the day as YYYY-MM-DD.")
        }
        self.market = chosen
        marketID = id
        self.day = day
    }
}
