import ConsoleDomain
import Foundation
import Platform
import StationAPI
import Vapor
import Vocabulary

extension TriageController {
    /// `GET /triage/:id`: the screening record, the patient, who asked, the number to call, and the outcome forms.
    func detail(req: Request) async throws -> Response {
        try await renderDetail(req, form: .init(), chosenWindow: nil, chosenReason: nil)
    }

    /// The detail page, first shown or shown again with a refused form (what the nurse typed kept).
    func renderDetail(
        _ req: Request, form: TriageDetailPage.FormState, chosenWindow: String?, chosenReason: String?,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let staff = try req.staffMember
        let id = try Self.id(req)
        let station = TriageStation(client: try req.station())
        let request = try await station.careRequest(id)
        guard MarketID(wire: request.market.id).map(staff.markets.allows) ?? false else {
            throw StationProblem(status: 404, nil)
        }
        let decision = try await req.authorize(
            .read, .careRequest(id, partner: request.partnerId.flatMap(PartnerID.init(wire:))),
            auditAction: "triage.viewed")
        let partnerName = try await station.partnerName(request.partnerId)
        let zone = try await station.timeZone(ofMarket: request.market.id)
        let now = service.now()
        let windows =
            request.status == .pendingTriage
            ? try await station.windowsWithRoom(market: request.market.id, now: now) : []
        let claim = try await claims.live(id, now: now)
        try await req.audit(
            AuditEntry(
                "triage.viewed", careRequests: [id], patients: PatientID(wire: request.patient.id).map { [$0] } ?? [],
                decisionID: decision.id))
        let summary = TriageSummary(
            request, claim: claim, viewer: staff.id, csrf: req.webSession.csrfToken, zone: zone, now: now)
        let page = TriageDetailPage(
            request, partnerName: partnerName, summary: summary, windows: windows, zone: zone, form: form,
            chosenWindow: chosenWindow, chosenReason: chosenReason)
        return try await req.page(
            "triage-detail", title: "Triage request", section: "triage", page, status: status)
    }

    /// `GET /triage/:id/summary`: the detail page's live part (status and claim), fetched again on a change.
    func summary(req: Request) async throws -> Response {
        let staff = try req.staffMember
        guard let request = try await liveFragmentRequest(req, staff) else { return Response(status: .notFound) }
        let id = try Self.id(req)
        let decision = try await req.authorize(
            .read, .careRequest(id, partner: request.partnerId.flatMap(PartnerID.init(wire:))),
            auditAction: "triage.viewed")
        try await req.audit(
            AuditEntry(
                "triage.viewed", careRequests: [id], patients: PatientID(wire: request.patient.id).map { [$0] } ?? [],
                decisionID: decision.id))
        let zone = try await TriageStation(client: req.station()).timeZone(ofMarket: request.market.id)
        let now = service.now()
        let summary = TriageSummary(
            request, claim: try await claims.live(id, now: now), viewer: staff.id, csrf: req.webSession.csrfToken,
            zone: zone, now: now)
        struct Holder: Encodable { var summary: TriageSummary }
        return try await req.fragment("triage-summary", Holder(summary: summary))
    }
}
