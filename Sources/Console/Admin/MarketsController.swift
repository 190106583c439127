import ConsoleDomain
import Foundation
import Vapor
import Vocabulary

/// `/admin/markets`: every market, a new market, and one market's settings with its closures
/// (`MarketsController+Closures.swift`) and its care teams (`CareTeamsController.swift`). Station validates again and has the last word (a ZIP code another market
/// serves, places below what is booked); its words appear beside the fields, with everything typed kept.
struct MarketsController: RouteCollection {
    let service: ConsoleService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("admin", "markets", use: list)
        routes.get("admin", "markets", "new", use: newMarket)
        routes.post("admin", "markets", use: create)
        routes.get("admin", "markets", ":id", use: edit)
        routes.post("admin", "markets", ":id", use: update)
        routes.post("admin", "markets", ":id", "closures", use: addClosure)
        routes.post("admin", "markets", ":id", "closures", ":date", "remove", use: removeClosure)
    }

    func list(req: Request) async throws -> Response {
        let markets = try await AdminStation(client: try req.station()).markets().sorted { $0.name < $1.name }
        let rows = markets.map {
            MarketRow(
                id: $0.id, name: $0.name, state: $0.state, timeZone: $0.timeZone,
                zipCodes: $0.zipCodes.joined(separator: ", "), hours: "\($0.opensAt)–\($0.closesAt)",
                windowMinutes: $0.windowMinutes, places: $0.capacityPerWindow)
        }
        return try await req.page("admin-markets", title: "Markets", section: "markets", MarketsPage(rows: rows))
    }

    func newMarket(req: Request) async throws -> Response {
        try await req.page(
            "admin-market", title: "New market", section: "markets",
            MarketPage(heading: "New market", form: MarketForm(), errors: .init()))
    }

    func create(req: Request) async throws -> Response {
        let form = try req.content.decode(MarketFields.self).form
        let decision = try await req.authorize(.manage, .market(nil), auditAction: "market.created")
        var page = MarketPage(heading: "New market", form: form, errors: .init())
        do {
            let settings = try form.validated()
            let market = try await AdminStation(client: try req.station()).createMarket(settings)
            try await req.audit(AuditEntry("market.created", decisionID: decision.id, detail: "market \(market.id)"))
            req.flash("success", "\(market.name) was created. Add its closures below.")
            return req.redirect(to: "/admin/markets/\(market.id)")
        } catch let errors as FormErrors {
            page.errors = errors
            return try await req.page(
                "admin-market", title: "New market", section: "markets", page, status: .unprocessableEntity)
        } catch let problem as StationProblem where Self.formProblems.contains(problem.status) {
            try await req.audit(
                AuditEntry(
                    "market.created", outcome: "failed", decisionID: decision.id, detail: "station \(problem.status)"))
            page.errors = Self.errors(problem)
            page.affected = problem.affectedCareRequests.map(\.wire)
            return try await req.page(
                "admin-market", title: "New market", section: "markets", page,
                status: HTTPResponseStatus(statusCode: problem.status))
        }
    }

    func edit(req: Request) async throws -> Response {
        let (id, station) = try Self.marketAndStation(req)
        let market = try await station.market(id)
        return try await editPage(
            req, station, id, MarketPage(heading: market.name, form: MarketForm(market), errors: .init()))
    }

    func update(req: Request) async throws -> Response {
        let (id, station) = try Self.marketAndStation(req)
        let form = try req.content.decode(MarketFields.self).form
        let decision = try await req.authorize(.manage, .market(id), auditAction: "market.updated")
        var page = MarketPage(heading: try await station.market(id).name, form: form, errors: .init())
        do {
            let market = try await station.updateMarket(id, try form.validated())
            try await req.audit(AuditEntry("market.updated", decisionID: decision.id, detail: "market \(id.wire)"))
            req.flash("success", "\(market.name) was saved.")
            return req.redirect(to: "/admin/markets/\(id.wire)")
        } catch let errors as FormErrors {
            page.errors = errors
            return try await editPage(req, station, id, page, status: .unprocessableEntity)
        } catch let problem as StationProblem where Self.formProblems.contains(problem.status) {
            try await req.audit(
                AuditEntry(
                    "market.updated", outcome: "failed", decisionID: decision.id,
                    detail: "market \(id.wire) station \(problem.status)"))
            page.errors = Self.errors(problem)
            page.affected = problem.affectedCareRequests.map(\.wire)
            return try await editPage(req, station, id, page, status: HTTPResponseStatus(statusCode: problem.status))
        }
    }

    /// The statuses of Station's refusals that the form shows in place (others make Console's error pages).
    static let formProblems: Set<Int> = [400, 409, 413, 422]

    /// A ZIP code another market serves is a 409 naming that market: beside the ZIP codes.
    static func errors(_ problem: StationProblem) -> FormErrors {
        FormErrors(
            problem, fields: MarketForm.Field.all,
            conflictField: problem.raw?.otherMarket != nil ? MarketForm.Field.zipCodes : nil)
    }

    /// The market a path names (404 when it is not an id) and Station as the signed-in admin.
    static func marketAndStation(_ req: Request) throws -> (MarketID, AdminStation) {
        guard let id = MarketID(wire: req.parameters.get("id") ?? "") else { throw StationProblem(status: 404, nil) }
        return (id, AdminStation(client: try req.station()))
    }

    /// The edit page with the market's closures as Station has them now.
    func editPage(
        _ req: Request, _ station: AdminStation, _ id: MarketID, _ page: MarketPage, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        var page = page
        page.marketID = id.wire
        page.closures = try await station.closures(id).map { ClosureRow(date: $0.date, reason: $0.reason) }
        let lineNames = Dictionary(
            try await station.serviceLines().compactMap { line in line.code.map { ($0, line.name) } },
            uniquingKeysWith: { first, _ in first })
        page.careTeams = try await station.careTeams(id).map { CareTeamRow($0, lineNames: lineNames) }
        return try await req.page("admin-market", title: page.heading, section: "markets", page, status: status)
    }
}

/// The market form's fields as the browser posts them.
struct MarketFields: Content {
    var name, state, timeZone, zipCodes, opensAt, closesAt, windowMinutes, capacityPerWindow: String?
    var roadFactor, averageSpeedMph: String?

    enum CodingKeys: String, CodingKey {
        case name, state
        case timeZone = "time_zone"
        case zipCodes = "zip_codes"
        case opensAt = "opens_at"
        case closesAt = "closes_at"
        case windowMinutes = "window_minutes"
        case capacityPerWindow = "capacity_per_window"
        case roadFactor = "road_factor"
        case averageSpeedMph = "average_speed_mph"
    }

    var form: MarketForm {
        MarketForm(
            name: name ?? "", state: state ?? "", timeZone: timeZone ?? "", zipCodes: zipCodes ?? "",
            opensAt: opensAt ?? "", closesAt: closesAt ?? "", windowMinutes: windowMinutes ?? "",
            capacityPerWindow: capacityPerWindow ?? "", roadFactor: roadFactor ?? "1.3",
            averageSpeedMph: averageSpeedMph ?? "25")
    }
}
