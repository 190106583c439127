import ExpressDomain
import Vocabulary

/// One page of the partner's current or past care requests, each with who created it; the page is audited
/// before it is shown.
struct ListCareRequests: Sendable {
    let service: ExpressService

    struct Row: Sendable {
        var request: CareRequestSummary
        /// "You", a teammate's name, or a dash for requests made elsewhere.
        var createdBy: String
    }

    struct Listed: Sendable {
        var rows: [Row]
        var nextCursor: String?
    }

    func callAsFunction(_ context: UseCaseContext, phase: CareRequestPhase, cursor: String?, limit: Int) async throws
        -> Listed
    {
        try await callAsFunction(context, filter: CareRequestFilter(phase: phase), cursor: cursor, limit: limit)
    }

    /// The plain list (only a phase) is Station's list; any other filter is Station's search.
    func callAsFunction(_ context: UseCaseContext, filter: CareRequestFilter, cursor: String?, limit: Int)
        async throws -> Listed
    {
        let partner = context.user.partner
        guard try await service.flags(partner).contains(.stationCareRequests) else {
            throw UseCaseRefusal.careRequestsOff
        }
        guard (1...100).contains(limit) else { throw UseCaseRefusal.invalidLimit }
        let page = try await service.station.careRequests(
            partner: partner, filter: filter, cursor: cursor, limit: limit)
        let creators = try await service.creators(of: page.items.map { ($0.id, $0.createdBy) }, partner: partner)
        try await service.audit.record(
            AuditEntry(
                action: context.action("care_requests.list"), careRequests: page.items.map(\.id),
                patients: page.items.map(\.patientID), outcome: "success"), context.audit)
        let rows = page.items.map {
            Row(request: $0, createdBy: ExpressService.createdBy(creators[$0.id], viewer: context.user.id))
        }
        return Listed(rows: rows, nextCursor: page.nextCursor)
    }
}
