import ConsoleDomain
import Foundation
import Vapor
import Vocabulary

/// `/admin/partners`: the partners Station knows and "New partner", which creates the partner in Station (the
/// admin's token) and then in Express (``ExpressPartnerSetup``); see `PartnersController+Express.swift`.
struct PartnersController: RouteCollection {
    let service: ConsoleService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("admin", "partners", use: list)
        routes.get("admin", "partners", "new", use: newPartner)
        routes.post("admin", "partners", use: create)
        routes.get("admin", "partners", ":id", "express", use: expressForm)
        routes.post("admin", "partners", ":id", "express", use: finishInExpress)
    }

    func list(req: Request) async throws -> Response {
        let station = AdminStation(client: try req.station())
        let markets = Dictionary(try await station.markets().map { ($0.id, $0.name) }) { first, _ in first }
        let pending = try await expressPending()
        let rows = try await station.partners().map { partner in
            PartnerRow(
                id: partner.id, name: partner.name, slug: partner.slug,
                markets: partner.marketIds.map { markets[$0] ?? $0 }.sorted().joined(separator: ", "),
                expressPending: pending.contains(partner.id))
        }
        return try await req.page("admin-partners", title: "Partners", section: "admin", PartnersPage(rows: rows))
    }

    func newPartner(req: Request) async throws -> Response {
        let markets = try await AdminStation(client: try req.station()).markets()
        return try await formPage(req, PartnerForm(), markets)
    }

    func create(req: Request) async throws -> Response {
        let form = try req.content.decode(PartnerFields.self).form
        let station = AdminStation(client: try req.station())
        let markets = try await station.markets()
        let decision = try await req.authorize(.manage, .partner(nil), auditAction: "partner.created")
        let partner: NewPartner
        do {
            partner = try form.validated(markets: Set(markets.compactMap { MarketID(wire: $0.id) }))
        } catch {
            return try await formPage(req, form, markets, errors: error, status: .unprocessableEntity)
        }
        let created: AdminStation.Partner
        do {
            created = try await station.createPartner(partner)
        } catch let problem as StationProblem where [400, 409, 413, 422].contains(problem.status) {
            try await req.audit(
                AuditEntry(
                    "partner.created", outcome: "failed", decisionID: decision.id,
                    detail: "station \(problem.status)"))
            let errors = FormErrors(problem, fields: PartnerForm.Field.all, conflictField: PartnerForm.Field.slug)
            return try await formPage(
                req, form, markets, errors: errors, status: HTTPResponseStatus(statusCode: problem.status))
        }
        guard let id = PartnerID(wire: created.id) else {
            throw StationUnavailable(description: "Station answered createPartner with id \(created.id)")
        }
        try await req.audit(AuditEntry("partner.created", decisionID: decision.id, detail: "partner \(id.wire)"))
        return try await setUpInExpress(
            req, id, name: created.name, slug: created.slug, form: form, phases: partner.phases,
            firstAdmin: partner.firstAdmin, decisionID: decision.id)
    }

    func formPage(
        _ req: Request, _ form: PartnerForm, _ markets: [AdminStation.Market], errors: FormErrors = .init(),
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        var form = form
        if form.slug.isEmpty && !errors.isEmpty {
            // Show the slug the name makes, which the partner gets unless the admin types another.
            form.slug = Slug.suggested(from: form.name)
        }
        let chosen = Set(form.marketIDs)
        let choices = markets.sorted { $0.name < $1.name }.map {
            MarketChoice(id: $0.id, name: "\($0.name), \($0.state)", checked: chosen.contains($0.id))
        }
        return try await req.page(
            "admin-partner-new", title: "New partner", section: "admin",
            NewPartnerPage(form: form, markets: choices, errors: errors), status: status)
    }

    /// Partners Station created through Console whose Express setup no audit event records as finished.
    func expressPending() async throws -> Set<String> {
        func partners(_ action: String) async throws -> Set<String> {
            Set(
                try await service.audit.events(action, limit: 1000).filter { $0.outcome == "success" }.compactMap {
                    let words = ($0.detail ?? "").split(separator: " ")
                    return words.count >= 2 && words[0] == "partner" ? String(words[1]) : nil
                })
        }
        return try await partners("partner.created").subtracting(partners("partner.onboarded"))
    }
}

/// The partner form's fields as the browser posts them (unchecked boxes are not sent).
struct PartnerFields: Content {
    var name: String?
    var slug: String?
    var marketIDs: [String]?
    var stationCareRequests: String?
    var ossHandoff: String?
    var adminEmail: String?
    var adminName: String?

    enum CodingKeys: String, CodingKey {
        case name, slug
        case marketIDs = "market_ids"
        case stationCareRequests = "station_care_requests"
        case ossHandoff = "oss_handoff"
        case adminEmail = "admin_email"
        case adminName = "admin_name"
    }

    var form: PartnerForm {
        PartnerForm(
            name: name ?? "", slug: slug ?? "", marketIDs: marketIDs ?? [],
            stationCareRequests: stationCareRequests != nil,
            ossHandoff: ossHandoff != nil, adminEmail: adminEmail ?? "", adminName: adminName ?? "")
    }
}
