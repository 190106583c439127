import Fluent
import Foundation
import Platform
import SQLKit
import StationDomain
import Vocabulary

/// A care request with everything a caller sees of it.
struct CareRequestRecord: Sendable {
    var model: CareRequestModel
    var patient: Patient
    var market: MarketModel
    var serviceLine: ServiceLineModel
    var history: [StatusChange]
}

/// One row of a care request list: only the columns a list shows.
struct CareRequestListItem: Sendable {
    var id: CareRequestID
    var partnerID: PartnerID?
    var patientID: PatientID
    var patientName: String
    var status: String
    var source: String
    var serviceLineID: ServiceLineID
    var serviceLineName: String
    var marketID: MarketID
    var marketName: String
    var createdMs: Int64
    var createdAt: Date
    var createdByUserID: String?
    var timeWindow: DateInterval?
    var eta: DateInterval?

    /// The columns `init(row:)` reads, in the list query's join of care requests, patients, markets and service lines.
    /// Written out once: serializing a builder expression per column cost more than SQLite's own parse.
    static let columns = SQLRaw(
        """
        c.id, c.partner_id, c.patient_id, c.status, c.source, c.service_line_id, c.market_id, c.created_ms, c.created_at, \
        c.created_by_user_id, c.window_start, c.window_end, c.eta_start, c.eta_end, p.given_name AS patient_given, \
        p.family_name AS patient_family, m.name AS market_name, s.name AS service_line_name
        """)

    init(row: any SQLRow) throws {
        func interval(_ start: String, _ end: String) throws -> DateInterval? {
            guard let s = try row.decode(column: start, as: Date?.self),
                let e = try row.decode(column: end, as: Date?.self),
                e > s
            else { return nil }
            return DateInterval(start: s, end: e)
        }
        id = CareRequestID(try row.decode(column: "id", as: UUID.self))
        partnerID = try row.decode(column: "partner_id", as: UUID?.self).map { PartnerID($0) }
        patientID = PatientID(try row.decode(column: "patient_id", as: UUID.self))
        patientName =
            "\(try row.decode(column: "patient_given", as: String.self)) \(try row.decode(column: "patient_family", as: String.self))"
        status = try row.decode(column: "status", as: String.self)
        source = try row.decode(column: "source", as: String.self)
        serviceLineID = ServiceLineID(try row.decode(column: "service_line_id", as: UUID.self))
        serviceLineName = try row.decode(column: "service_line_name", as: String.self)
        marketID = MarketID(try row.decode(column: "market_id", as: UUID.self))
        marketName = try row.decode(column: "market_name", as: String.self)
        createdMs = try row.decode(column: "created_ms", as: Int64.self)
        createdAt = try row.decode(column: "created_at", as: Date.self)
        createdByUserID = try row.decode(column: "created_by_user_id", as: String?.self)
        timeWindow = try interval("window_start", "window_end")
        eta = try interval("eta_start", "eta_end")
    }
}

enum CareRequestListScope: Sendable {
    case partner(PartnerID, phase: CareRequestPhase?, status: CareRequestStatus?)
    case patient(PatientID)
    /// Every request of any of these patients (a patient account's people).
    case patients([PatientID])
    /// A partner's requests matching every filter of a search.
    case search(PartnerID, CareRequestSearch)
}

extension StationStore {
    /// Newest first, keyset-paginated on (created_ms, id).
    ///
    /// One query joining the names a list shows, decoded column by column: lists are the hottest read, and
    /// decoding whole Fluent models (reflection per row) cost ten times the SQL (docs/BENCHMARKS.md).
    func listCareRequests(_ scope: CareRequestListScope, after cursor: PageCursor?, limit: Int) async throws -> Page<
        CareRequestListItem
    > {
        func column(_ name: String) -> SQLColumn { SQLColumn(name, table: "c") }
        let limit = PageSize.clamped(limit)
        let q = db.sql.select().column(CareRequestListItem.columns)
            .from(SQLAlias(SQLIdentifier(CareRequestModel.schema), as: SQLIdentifier("c")))
            .join(
                SQLAlias(SQLIdentifier(PatientModel.schema), as: SQLIdentifier("p")),
                on: SQLColumn("id", table: "p"), .equal, column("patient_id")
            )
            .join(
                SQLAlias(SQLIdentifier(MarketModel.schema), as: SQLIdentifier("m")),
                on: SQLColumn("id", table: "m"), .equal, column("market_id")
            )
            .join(
                SQLAlias(SQLIdentifier(ServiceLineModel.schema), as: SQLIdentifier("s")),
                on: SQLColumn("id", table: "s"), .equal, column("service_line_id"))
        // Synthetic monitoring's requests are in no list (reading one by id still works).
        q.where(column("synthetic"), .equal, SQLBind(false))
        switch scope {
        case .partner(let partner, let phase, let status):
            q.where(column("partner_id"), .equal, SQLBind(partner.rawValue))
            if let phase { q.where(column("phase"), .equal, SQLBind(phase.rawValue)) }
            if let status { q.where(column("status"), .equal, SQLBind(status.rawValue)) }
        case .patient(let patient):
            q.where(column("patient_id"), .equal, SQLBind(patient.rawValue))
        case .patients(let patients):
            q.where(column("patient_id"), .in, SQLBind.group(patients.map(\.rawValue)))
        case .search(let partner, let search):
            q.where(column("partner_id"), .equal, SQLBind(partner.rawValue))
            Self.filter(q, by: search)
        }
        let rows = try await CareRequestKeyset.rows(q, after: cursor, limit: limit)
        return CareRequestKeyset.page(try rows.map(CareRequestListItem.init(row:)), limit: limit) {
            ($0.createdMs, $0.id.rawValue)
        }
    }

    func careRequest(_ id: CareRequestID) async throws -> CareRequestRecord? {
        try await careRequest(id, on: db)
    }

    func careRequest(_ id: CareRequestID, on db: any Database) async throws -> CareRequestRecord? {
        guard let model = try await CareRequestModel.find(id.rawValue, on: db),
            let patient = try await PatientModel.find(model.patientID, on: db),
            let market = try await MarketModel.find(model.marketID, on: db),
            let line = try await ServiceLineModel.find(model.serviceLineID, on: db)
        else { return nil }
        let history = try await StatusChangeModel.query(on: db)
            .filter(\.$careRequestID == id.rawValue)
            .sort(\.$changedAt).all()
        return CareRequestRecord(
            model: model, patient: try patient.domain(), market: market, serviceLine: line,
            history: history.map(\.domain))
    }
}
