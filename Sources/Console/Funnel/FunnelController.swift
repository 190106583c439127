import Analytics
import ConsoleDomain
import Foundation
import Platform
import Vapor
import Vocabulary

/// `GET /funnel`, "Self-scheduling funnel" for operations admins: the figures of the local analytics file per
/// partner and for patients scheduling directly, filtered by a GET form (a day and a partner id, nothing else in
/// the address), through ``FunnelQuery/report(from:)``, the same computation as `selfsched analytics funnel`.
/// Mounted behind `RequireRole(.operationsAdmin)`.
struct FunnelController: RouteCollection {
    let service: ConsoleService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("funnel", use: show)
    }

    func show(req: Request) async throws -> Response {
        let staff = try req.staffMember
        let sinceText = req.query[String.self, at: "since"] ?? ""
        let filter = FunnelFilter(since: sinceText, partner: req.query[String.self, at: "partner"])
        // The figures come from a local file: with Station unreachable the page still shows them, by partner id.
        let listed = try? await AdminStation(client: try req.station()).partners()
        if listed == nil { req.logger.warning("funnel: Station's partner list is unavailable; partners shown by id") }
        let partners = (listed ?? []).map { (id: $0.id, name: $0.name) }
            .sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending }
        let settings = service.config.analytics
        let file = settings.file ?? AnalyticsSettings.file(in: service.config.dataDirectory)
        let query = FunnelQuery(since: filter.sinceInstant, partner: filter.segment)
        let (report, skipped) =
            filter.isValid
            ? try await req.application.threadPool.runIfActive { try query.report(from: file) }
            : (FunnelReport.compute([], since: nil, until: nil, partner: nil), 0)
        let note =
            settings.file == nil
            ? "Console sends its events to \(settings.summary). This page reads only the local file \(file.path), "
                + "which the services write unless ANALYTICS_FILE=off." : nil
        await service.tracker.track(TrackedEvent(.funnelViewed), by: .user(staff.id), partner: nil)
        let page = FunnelPage(
            report: report, filter: filter, sinceText: sinceText, partnerNames: partners, deliveryNote: note,
            skipped: skipped)
        return try await req.page(
            "funnel", title: "Self-scheduling funnel", section: "funnel", page, status: page.invalid ? .badRequest : .ok
        )
    }
}
