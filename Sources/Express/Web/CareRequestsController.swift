import ExpressDomain
import Foundation
import Platform
import Vapor
import Vocabulary

/// The partner's current and past care requests, one page at a time, each request's detail
/// (CareRequestsController+Detail.swift), and the way back from OSS.
struct CareRequestsController: RouteCollection {
    let service: ExpressService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("care-requests", use: list)
        routes.get("care-requests", "returned", use: returned)
        routes.post("care-requests", "name-search", use: nameSearch)
        routes.post("care-requests", "export", use: export)
        routes.get("care-requests", ":id", use: detail)
        routes.get("care-requests", ":id", "row", use: row)
        routes.get("care-requests", ":id", "summary", use: summary)
    }

    struct Row: Encodable {
        var id: String
        var patientName: String
        var status: String
        var statusKey: String
        /// The arrival estimate once a dispatcher gave one, else the booked window, else a dash.
        var visit: String
        var serviceLine: String
        var market: String
        var source: String
        var createdRelative: String
        var createdExact: String
        var createdBy: String
    }

    struct ListContext: Encodable {
        var tab: String
        var rows: [Row]
        var nextURL: String?
        var firstPageURL: String?
        var featureOff: Bool
        var filter: FilterForm?
        /// The newest live event when the page was made: its stream resumes after it.
        var liveAfter: Int64 = 0
        /// Whether a request created meanwhile belongs at the top of this page (the first page of current ones,
        /// with no filter or search that could exclude it), so the live page inserts it.
        var insertsCreated = false
    }

    func list(req: Request) async throws -> Response {
        let user = try req.user()
        let query = CareRequestListQuery.query(req)
        let tab = query.phase.rawValue
        let cursor = req.query[String.self, at: "cursor"]
        let resolved = resolve(query, req, user)
        guard let filter = resolved.filter else {
            let form = filterForm(query, resolved, markets: await markets(req))
            return try await req.page(
                "care-requests", title: "Care requests", section: "care-requests",
                ListContext(tab: tab, rows: [], featureOff: false, filter: form), status: .badRequest)
        }
        let listed: ListCareRequests.Listed
        do {
            listed = try await ListCareRequests(service: service)(
                req.useCase(user), filter: filter, cursor: cursor, limit: user.pageSize)
        } catch UseCaseRefusal.careRequestsOff {
            return try await req.page(
                "care-requests", title: "Care requests", section: "care-requests",
                ListContext(tab: tab, rows: [], featureOff: true))
        } catch is DownstreamBadRequest {
            return try await req.notice(
                .badRequest, title: "That page link is out of date",
                message: "The list has changed since that link was made. Start again from the first page.",
                section: "care-requests", link: (query.path(), "First page"))
        } catch let error as ServiceUnavailable {
            return try await unavailable(req, error)
        }
        await service.track(
            TrackedEvent(
                .careRequestsListed,
                [.tab: .string(tab), .results: .int(listed.rows.count), .filtered: .bool(!filter.isPlain)]),
            user: user.acting)
        let now = service.now()
        let rows = listed.rows.map { row in
            let item = row.request
            return Row(
                id: item.id, patientName: item.patientName, status: item.status, serviceLine: item.serviceLine,
                market: item.market, source: item.source, createdAt: item.createdAt, createdBy: row.createdBy,
                window: item.timeWindow, eta: item.eta, now: now, zone: user.timeZone)
        }
        return try await req.page(
            "care-requests", title: "Care requests", section: "care-requests",
            ListContext(
                tab: tab, rows: rows, nextURL: listed.nextCursor.map { query.path(cursor: $0) },
                firstPageURL: cursor == nil ? nil : query.path(), featureOff: false,
                filter: filterForm(query, resolved, markets: await markets(req)),
                liveAfter: try await service.latestLiveEvent(partner: user.partnerID),
                insertsCreated: filter.isPlain && filter.phase == .current && cursor == nil))
    }

    /// The markets to filter by; without them (Station busy) the form simply offers none.
    func markets(_ req: Request) async -> [Market] {
        do {
            return try await service.markets().sorted { $0.name < $1.name }
        } catch {
            req.logger.warning("markets unavailable for the list's filter", metadata: ["error": "\(error)"])
            return []
        }
    }

    func unavailable(_ req: Request, _ error: ServiceUnavailable) async throws -> Response {
        req.logger.warning(
            "downstream unavailable",
            metadata: ["service": .string(error.service), "error": .string(error.description)])
        return try await req.notice(
            .serviceUnavailable, title: "Care requests are unavailable right now",
            message:
                "We could not reach our scheduling system (\(error.service)). Nothing is lost; please try again in a moment. If it keeps happening, call us at \(service.config.supportPhone).",
            section: "care-requests", retry: true)
    }
}
