import ExpressDomain
import Vocabulary

/// Every care request of the partner matching a filter, for an admin's CSV file: Station's pages read one after
/// another up to ``CareRequestCSV/cap`` rows. Each page is audited before the file is handed out (the patients too
/// when their names are in it); a refused export is audited as denied.
struct ExportCareRequests: Sendable {
    let service: ExpressService

    struct Exported: Sendable {
        var rows: [CareRequestCSV.Row]
        /// More requests matched than the file holds.
        var cut: Bool
    }

    func callAsFunction(
        _ context: UseCaseContext, filter: CareRequestFilter, includeNames: Bool, cap: Int = CareRequestCSV.cap
    ) async throws -> Exported {
        let partner = context.user.partner
        guard try await service.flags(partner).contains(.stationCareRequests) else {
            throw UseCaseRefusal.careRequestsOff
        }
        let action = context.action("care_requests.export")
        guard context.user.role.canManageUsers else {
            try await service.audit.record(AuditEntry(action: action, outcome: "denied"), context.audit)
            throw UseCaseRefusal.notAllowed
        }
        var pages: [CareRequestPage] = []
        var count = 0
        var cursor: String?
        var cut = false
        repeat {
            let page = try await service.station.careRequests(
                partner: partner, filter: filter, cursor: cursor, limit: min(100, cap - count))
            pages.append(page)
            count += page.items.count
            cursor = page.nextCursor
            if count >= cap, cursor != nil { cut = true }
        } while cursor != nil && !cut && count < cap
        let detail = includeNames ? "with patient names" : "without patient names"
        var rows: [CareRequestCSV.Row] = []
        for page in pages {
            try await service.audit.record(
                AuditEntry(
                    action: action, careRequests: page.items.map(\.id),
                    patients: includeNames ? page.items.map(\.patientID) : [], outcome: "success", detail: detail),
                context.audit)
            let creators = try await service.creators(of: page.items.map { ($0.id, $0.createdBy) }, partner: partner)
            // A file outlives the session: the creator by name, not "You".
            rows += page.items.map { CareRequestCSV.Row(request: $0, createdBy: creators[$0.id]?.name ?? "") }
        }
        return Exported(rows: rows, cut: cut)
    }
}
