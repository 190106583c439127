import Foundation
import SQLKit
import StationDomain
import Vocabulary

/// What a FHIR search of one partner's care requests asks for (ServiceRequest and Appointment): every filter
/// given must match; nil means any.
struct FHIRCareRequestQuery: Sendable {
    var ids: Set<CareRequestID>?
    var patients: Set<PatientID>?
    var statuses: Set<CareRequestStatus>?
    /// On `created_at` (ServiceRequest's `authored`).
    var created: FHIRDateRange?
    var updated: FHIRDateRange?
    /// Only requests with a time window or an arrival estimate (those with an Appointment).
    var withVisit = false
    /// On the visit's start: the arrival estimate's, else the window's (Appointment's `date`).
    var visitStart: FHIRDateRange?

    /// Whether no row can match, so that no query is needed.
    var matchesNothing: Bool {
        ids?.isEmpty == true || patients?.isEmpty == true || statuses?.isEmpty == true
            || [created, updated, visitStart].contains { $0?.isEmpty == true }
    }
}

/// A care request with the columns its FHIR resources show.
struct FHIRCareRequestRow: Sendable {
    var id: CareRequestID
    var patientID: PatientID
    var status: CareRequestStatus
    var author: CareRequestAuthor
    var chiefComplaint: String
    var marketID: MarketID
    var marketName: String
    var serviceLineCode: String?
    var serviceLineName: String
    var timeWindow: DateInterval?
    var eta: DateInterval?
    var createdMs: Int64
    var createdAt: Date
    var updatedAt: Date

    static let columns = SQLRaw(
        """
        c.id, c.patient_id, c.status, c.source, c.created_by_user_id, c.chief_complaint, c.market_id, \
        c.window_start, c.window_end, c.eta_start, c.eta_end, c.created_ms, c.created_at, c.updated_at, \
        m.name AS market_name, s.code AS service_line_code, s.name AS service_line_name
        """)

    init(row: any SQLRow) throws {
        func interval(_ start: String, _ end: String) throws -> DateInterval? {
            guard let s = try row.decode(column: start, as: Date?.self),
                let e = try row.decode(column: end, as: Date?.self), e > s
            else { return nil }
            return DateInterval(start: s, end: e)
        }
        id = CareRequestID(try row.decode(column: "id", as: UUID.self))
        patientID = PatientID(try row.decode(column: "patient_id", as: UUID.self))
        status = try CareRequestStatus(mapping: try row.decode(column: "status", as: String.self))
        author = CareRequestAuthor(
            source: try CareRequestSource(mapping: try row.decode(column: "source", as: String.self)),
            createdByUserID: try row.decode(column: "created_by_user_id", as: String?.self))
        chiefComplaint = try row.decode(column: "chief_complaint", as: String.self)
        marketID = MarketID(try row.decode(column: "market_id", as: UUID.self))
        marketName = try row.decode(column: "market_name", as: String.self)
        serviceLineCode = try row.decode(column: "service_line_code", as: String?.self)
        serviceLineName = try row.decode(column: "service_line_name", as: String.self)
        timeWindow = try interval("window_start", "window_end")
        eta = try interval("eta_start", "eta_end")
        createdMs = try row.decode(column: "created_ms", as: Int64.self)
        createdAt = try row.decode(column: "created_at", as: Date.self)
        updatedAt = try row.decode(column: "updated_at", as: Date.self)
    }
}

extension StationStore {
    /// One page of the partner's care requests matching `query`, newest first, keyset-paginated on (created_ms, id)
    /// like the JSON list, on the same indexes: (partner, created), (partner, phase, created), (partner, status,
    /// created), or (patient, created) when patients are named. Synthetic monitoring's requests are in none.
    func fhirCareRequests(
        partner: PartnerID, _ query: FHIRCareRequestQuery, after cursor: PageCursor?, limit: Int
    ) async throws -> Page<FHIRCareRequestRow> {
        guard !query.matchesNothing else { return Page(items: [], nextCursor: nil) }
        func column(_ name: String) -> SQLColumn { SQLColumn(name, table: "c") }
        let limit = min(max(limit, 1), 200)
        let q = db.sql.select().column(FHIRCareRequestRow.columns)
            .from(SQLAlias(SQLIdentifier(CareRequestModel.schema), as: SQLIdentifier("c")))
            .join(
                SQLAlias(SQLIdentifier(MarketModel.schema), as: SQLIdentifier("m")),
                on: SQLColumn("id", table: "m"), .equal, column("market_id")
            )
            .join(
                SQLAlias(SQLIdentifier(ServiceLineModel.schema), as: SQLIdentifier("s")),
                on: SQLColumn("id", table: "s"), .equal, column("service_line_id"))
        Self.filter(q, partner: partner, by: query)
        let rows = try await CareRequestKeyset.rows(q, after: cursor, limit: limit)
        return CareRequestKeyset.page(try rows.map(FHIRCareRequestRow.init(row:)), limit: limit) {
            ($0.createdMs, $0.id.rawValue)
        }
    }

    /// How many of the partner's care requests match `query`: a count over the partner's index, so only for a
    /// patient's requests or when the caller asked for the count alone.
    func countFHIRCareRequests(partner: PartnerID, _ query: FHIRCareRequestQuery) async throws -> Int {
        guard !query.matchesNothing else { return 0 }
        let q = db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "total")
            .from(SQLAlias(SQLIdentifier(CareRequestModel.schema), as: SQLIdentifier("c")))
        Self.filter(q, partner: partner, by: query)
        return try await q.first()?.decode(column: "total", as: Int.self) ?? 0
    }

    private static func filter(_ q: SQLSelectBuilder, partner: PartnerID, by query: FHIRCareRequestQuery) {
        func column(_ name: String) -> SQLColumn { SQLColumn(name, table: "c") }
        func bound(_ expression: any SQLExpression, _ range: FHIRDateRange?) {
            if let from = range?.from { q.where(expression, .greaterThanOrEqual, SQLBind(from)) }
            if let before = range?.before { q.where(expression, .lessThan, SQLBind(before)) }
        }
        q.where(column("partner_id"), .equal, SQLBind(partner.rawValue))
        q.where(column("synthetic"), .equal, SQLBind(false))
        if let ids = query.ids { q.where(column("id"), .in, SQLBind.group(ids.map(\.rawValue).sorted())) }
        if let patients = query.patients {
            q.where(column("patient_id"), .in, SQLBind.group(patients.map(\.rawValue).sorted()))
        }
        if let statuses = query.statuses { statusFilter(q, statuses) }
        if let from = query.created?.from {
            q.where(column("created_ms"), .greaterThanOrEqual, SQLBind(milliseconds(from, roundingUp: true)))
        }
        if let before = query.created?.before {
            q.where(column("created_ms"), .lessThan, SQLBind(milliseconds(before, roundingUp: true)))
        }
        bound(column("updated_at"), query.updated)
        if query.withVisit || query.visitStart != nil {
            q.where { or in
                or.orWhere(column("window_start"), .isNot, SQLLiteral.null)
                    .orWhere(column("eta_start"), .isNot, SQLLiteral.null)
            }
        }
        bound(SQLFunction("COALESCE", args: column("eta_start"), column("window_start")), query.visitStart)
    }

    /// Statuses as the indexes see them: one status on the status index, a whole phase (FHIR's `active` is every
    /// open status) on the phase index, any other set within the phase it keeps to.
    private static func statusFilter(_ q: SQLSelectBuilder, _ statuses: Set<CareRequestStatus>) {
        func column(_ name: String) -> SQLColumn { SQLColumn(name, table: "c") }
        guard statuses != Set(CareRequestStatus.allCases) else { return }
        if statuses.count == 1, let status = statuses.first {
            q.where(column("status"), .equal, SQLBind(status.rawValue))
            return
        }
        let phases = Set(statuses.map(\.phase))
        if phases.count == 1, let phase = phases.first {
            q.where(column("phase"), .equal, SQLBind(phase.rawValue))
            if statuses == Set(CareRequestStatus.allCases.filter { $0.phase == phase }) { return }
        }
        q.where(column("status"), .in, SQLBind.group(statuses.map(\.rawValue).sorted()))
    }
}
