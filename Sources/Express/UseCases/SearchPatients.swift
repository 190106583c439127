import ExpressDomain
import Vocabulary

/// One page of the partner's patients matching a search; the patients shown are audited.
struct SearchPatients: Sendable {
    let service: ExpressService

    /// `cursor`: Station's, from the previous page (the edges keep it from the caller: a session, a seal).
    func callAsFunction(_ context: UseCaseContext, query: String, cursor: String?, limit: Int) async throws
        -> PatientPage
    {
        let page = try await service.station.searchPatients(
            partner: context.user.partner, query: query, cursor: cursor, limit: limit)
        try await service.audit.record(
            AuditEntry(
                action: context.action("patients.search"), careRequests: [],
                patients: page.items.map(\.id), outcome: "success"), context.audit)
        return page
    }
}
