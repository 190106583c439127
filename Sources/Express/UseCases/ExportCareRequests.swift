import ExpressDomain
import Vocabulary

/// Every care request of the partner matching a filter, for an admin's CSV file: Station's pages read one after
/// another as the file is written, up to ``CareRequestCSV/cap`` rows. Each page is audited before its rows are
/// handed out (the patients too when their names are in it); a refused export is audited as denied.
struct ExportCareRequests: Sendable {
    let service: ExpressService

    /// Refuses a partner without care requests and a user who is not an admin; else the reader of the pages.
    func callAsFunction(
        _ context: UseCaseContext, filter: CareRequestFilter, includeNames: Bool, cap: Int = CareRequestCSV.cap
    ) async throws -> Pages {
        guard try await service.flags(context.user.partner).contains(.stationCareRequests) else {
            throw UseCaseRefusal.careRequestsOff
        }
        guard context.user.role.canManageUsers else {
            try await service.audit.record(
                AuditEntry(action: context.action("care_requests.export"), outcome: "denied"), context.audit)
            throw UseCaseRefusal.notAllowed
        }
        return Pages(service: service, context: context, filter: filter, includeNames: includeNames, cap: cap)
    }

    /// Station's pages of the filter, one at a time.
    struct Pages: Sendable {
        let service: ExpressService
        let context: UseCaseContext
        let filter: CareRequestFilter
        let includeNames: Bool
        let cap: Int
        private var cursor: String?
        private var started = false
        /// Rows handed out so far.
        private(set) var count = 0
        /// The cap stopped the reading while Station had more.
        private(set) var cut = false

        init(service: ExpressService, context: UseCaseContext, filter: CareRequestFilter, includeNames: Bool, cap: Int)
        {
            self.service = service
            self.context = context
            self.filter = filter
            self.includeNames = includeNames
            self.cap = cap
        }

        /// The next page's rows, audited; nil when there are no more (or the cap is reached: then ``cut``).
        mutating func next() async throws -> [CareRequestCSV.Row]? {
            guard !started || cursor != nil else { return nil }
            guard count < cap else {
                cut = true
                return nil
            }
            let partner = context.user.partner
            let page = try await service.station.careRequests(
                partner: partner, filter: filter, cursor: cursor, limit: min(100, cap - count))
            try await service.audit.record(
                AuditEntry(
                    action: context.action("care_requests.export"), careRequests: page.items.map(\.id),
                    patients: includeNames ? page.items.map(\.patientID) : [], outcome: "success",
                    detail: includeNames ? "with patient names" : "without patient names"),
                context.audit)
            let creators = try await service.creators(of: page.items.map { ($0.id, $0.createdBy) }, partner: partner)
            started = true
            cursor = page.nextCursor
            count += page.items.count
            // A file outlives the session: the creator by name, not "You".
            return page.items.map { CareRequestCSV.Row(request: $0, createdBy: creators[$0.id]?.name ?? "") }
        }
    }
}
