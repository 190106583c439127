import ExpressDomain
import Foundation
import Platform
import Vapor
import Vocabulary

/// The pieces the live pages fetch when their event stream (Events/LiveController.swift) names a changed request:
/// one row of the list and the summary of the detail page, as HTML fragments. Partner-scoped and audited like
/// the pages they come from; without JavaScript the pages are simply correct as of their last load.
extension CareRequestsController {
    /// `GET /care-requests/:id/row`: the list's row for one request (audited as seen in a list).
    func row(req: Request) async throws -> Response {
        let user = try req.user()
        guard let shown = try await fragmentShown(req, user, action: "care_request.live_row") else {
            return Response(status: .notFound)
        }
        let request = shown.request
        let row = Row(
            id: request.id, patientName: request.patient.name, status: request.status,
            serviceLine: request.serviceLine, market: request.market, source: request.source,
            createdAt: request.createdAt, createdBy: shown.createdBy, window: request.timeWindow, eta: request.eta,
            now: service.now(), zone: user.timeZone)
        struct Fragment: Encodable { var row: Row }
        return try await req.view.render("care-request-row", Fragment(row: row)).encodeResponse(for: req)
    }

    /// `GET /care-requests/:id/summary`: the detail page's summary (status, facts, history; audited as a view).
    func summary(req: Request) async throws -> Response {
        let user = try req.user()
        guard let shown = try await fragmentShown(req, user, action: "care_request.view") else {
            return Response(status: .notFound)
        }
        struct Fragment: Encodable { var page: DetailContext }
        let context = try await detailContext(
            shown, user, csrf: req.webSession.csrfToken, withViewers: false)
        return try await req.view.render("care-request-summary", Fragment(page: context)).encodeResponse(for: req)
    }

    /// The request the fragment's address names, or nil for one the page cannot show (not found, another
    /// partner's, care requests off, Station unreachable): the page keeps what it has.
    private func fragmentShown(_ req: Request, _ user: SessionUser, action: String) async throws
        -> ShowCareRequest.Shown?
    {
        do {
            return try await ShowCareRequest(service: service)(
                req.useCase(user), CareRequestAddress(req.parameters.get("id") ?? ""), action: action)
        } catch is UseCaseRefusal {
            return nil
        } catch let error as ServiceUnavailable {
            req.logger.warning("downstream unavailable", metadata: ["service": .string(error.service)])
            return nil
        }
    }
}

extension CareRequestsController.Row {
    init(
        id: CareRequestID, patientName: String, status: CareRequestStatus, serviceLine: String, market: String,
        source: CareRequestSource, createdAt: Date, createdBy: String, window: TimeWindow?, eta: TimeWindow?,
        now: Date, zone: TimeZone
    ) {
        let visit =
            eta.map { "Arrives \(Wording.window($0.start, $0.end, zone: zone))" }
            ?? window.map { Wording.window($0.start, $0.end, zone: zone) } ?? "—"
        self.init(
            id: id.wire, patientName: patientName, status: Wording.status(status.rawValue),
            statusKey: status.rawValue, visit: visit, serviceLine: serviceLine, market: market,
            source: Wording.source(source.rawValue), createdRelative: Wording.relative(createdAt, now: now),
            createdExact: Wording.exact(createdAt, zone: zone), createdBy: createdBy)
    }
}
