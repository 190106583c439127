import ConsoleDomain
import Foundation
import Platform
import StationAPI
import Vapor
import Vocabulary

/// The nurse triage queue: every pending_triage request in the nurse's markets, one request's detail, "I'm
/// calling" claims and the outcome forms. Mounted behind `RequireRole(.nurse)`. Every response that shows PHI is
/// authorized by Policy and audited with its decision id before it is rendered; addresses carry ids only.
struct TriageController: RouteCollection {
    let service: ConsoleService

    var claims: TriageClaimStore { TriageClaimStore(database: service.database) }

    func boot(routes: any RoutesBuilder) throws {
        let triage = routes.grouped("triage")
        triage.get(use: queue)
        triage.get(":id", use: detail)
        triage.get(":id", "row", use: row)
        triage.get(":id", "summary", use: summary)
        triage.post(":id", "claim", use: claim)
        triage.post(":id", "release", use: release)
        triage.post(":id", "outcome", use: outcome)
    }

    /// `GET /triage`: the queue, oldest first.
    func queue(req: Request) async throws -> Response {
        let staff = try req.staffMember
        let decision = try await req.authorize(
            .read, PolicyResource(kind: "care_request", id: nil), auditAction: "triage.queue_viewed")
        // Station scopes the queue to the nurse's token; the edge checks the markets again.
        let items = try await TriageStation(client: req.station()).queue().filter {
            MarketID(wire: $0.careRequest.market.id).map(staff.markets.allows) ?? false
        }
        let ids = items.compactMap { CareRequestID(wire: $0.careRequest.id) }
        try await req.audit(
            AuditEntry(
                "triage.queue_viewed", careRequests: ids,
                patients: items.compactMap { PatientID(wire: $0.patient.id) }, decisionID: decision.id))
        let now = service.now()
        let claims = try await claims.live(among: ids, now: now)
        let rows = items.map { item in
            TriageRow(
                item.careRequest, partnerName: item.partnerName, waitingSince: item.waitingSince,
                claim: CareRequestID(wire: item.careRequest.id).flatMap { claims[$0] }, viewer: staff.id, now: now)
        }
        return try await req.page("triage-queue", title: "Triage queue", section: "triage", TriageQueuePage(rows: rows))
    }

    /// `GET /triage/:id/row` (`?new=1` for a request the page has not shown): the queue's row, for live updates.
    /// A request the page cannot show answers an empty 404, and the page keeps what it has.
    func row(req: Request) async throws -> Response {
        let staff = try req.staffMember
        guard let request = try await liveFragmentRequest(req, staff),
            request.status == .pendingTriage || req.query[String.self, at: "new"] == nil
        else { return Response(status: .notFound) }
        let decision = try await req.authorize(
            .read, .careRequest(try Self.id(req), partner: request.partnerId.flatMap(PartnerID.init(wire:))),
            auditAction: "triage.row_viewed")
        try await req.audit(
            AuditEntry(
                "triage.row_viewed", careRequests: [try Self.id(req)],
                patients: PatientID(wire: request.patient.id).map { [$0] } ?? [], decisionID: decision.id))
        let partnerName = try await TriageStation(client: req.station()).partnerName(request.partnerId)
        let now = service.now()
        let claim = try await claims.live(try Self.id(req), now: now)
        struct Fragment: Encodable { var row: TriageRow }
        let row = TriageRow(
            request, partnerName: partnerName, waitingSince: request.createdAt, claim: claim, viewer: staff.id,
            now: now)
        return try await req.view.render("triage-row", Fragment(row: row)).encodeResponse(for: req)
    }

    /// The request a live fragment names, or nil when it cannot be shown (unknown, outside the nurse's markets,
    /// Station unreachable).
    func liveFragmentRequest(_ req: Request, _ staff: StaffMember) async throws -> TriageStation.CareRequest? {
        guard let id = CareRequestID(wire: req.parameters.get("id") ?? "") else { return nil }
        do {
            let request = try await TriageStation(client: req.station()).careRequest(id)
            guard MarketID(wire: request.market.id).map(staff.markets.allows) ?? false else { return nil }
            return request
        } catch let problem as StationProblem where problem.status != 401 {
            return nil
        } catch is StationUnavailable {
            return nil
        }
    }

    /// The care request id of the address (404 unless it is one).
    static func id(_ req: Request) throws -> CareRequestID {
        guard let id = CareRequestID(wire: req.parameters.get("id") ?? "") else { throw Abort(.notFound) }
        return id
    }
}
