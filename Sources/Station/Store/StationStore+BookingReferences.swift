import Fluent
import Foundation
import SQLKit
import StationDomain
import Vocabulary

/// What a booking checks and answers with: the patient, the service line, the market serving the visit's ZIP and
/// whether the partner books there. Read with SQLKit in two statements (every market, then the rest together);
/// Fluent's reflection over five models was a fifth of a booking's instructions.
struct BookingReferences {
    var patient: Patient?
    var serviceLine: ServiceLineModel?
    var market: MarketModel?
    /// The partner books in every market or has this one; false without a partner or a market.
    var partnerMayBook: Bool

    static func read(_ new: NewCareRequest, on db: any Database) async throws -> BookingReferences {
        let market = try await market(serving: new.visitAddress.zip, on: db)
        let partner = new.partnerID?.rawValue
        let statement: SQLQueryString = """
            SELECT \(unsafeRaw: patientColumns), s.id AS s_id, s.name AS s_name, s.code AS s_code, \
            s.visit_minutes AS s_visit_minutes, \(mayBook(partner, market?.id)) AS partner_may_book \
            FROM (SELECT 1 AS one) o \
            LEFT JOIN patients p ON p.id = \(bind: new.patientID.rawValue) \
            LEFT JOIN service_lines s ON s.id = \(bind: new.serviceLineID.rawValue)
            """
        guard let row = try await db.sql.raw(statement).first() else {
            return BookingReferences(patient: nil, serviceLine: nil, market: market, partnerMayBook: false)
        }
        let patient =
            try row.decode(column: "id", as: UUID?.self) == nil ? nil : try PatientRow(row: row).patient
        var line: ServiceLineModel?
        if let id = try row.decode(column: "s_id", as: UUID?.self) {
            line = ServiceLineModel(
                id: id, name: try row.decode(column: "s_name", as: String.self),
                code: try row.decode(column: "s_code", as: String?.self),
                visitMinutes: try row.decode(column: "s_visit_minutes", as: Int?.self))
        }
        let mayBook = try row.decode(column: "partner_may_book", as: Bool?.self) ?? false
        return BookingReferences(
            patient: patient, serviceLine: line, market: market,
            partnerMayBook: partner != nil && market != nil && mayBook)
    }

    /// The market whose ZIP codes hold `zip`, if any; every market is read with SQLKit.
    static func market(serving zip: String, on db: any Database) async throws -> MarketModel? {
        try await db.sql.raw(marketsStatement).all().map(MarketModel.init(row:)).first { $0.zipCodes.contains(zip) }
    }

    /// Whether `partner` may book in `market` (a visit moved to another market asks this alone).
    static func partner(_ partner: UUID, mayBookIn market: UUID, on db: any Database) async throws -> Bool {
        let row = try await db.sql.raw("SELECT \(mayBook(partner, market)) AS may_book").first()
        return try row?.decode(column: "may_book", as: Bool?.self) ?? false
    }

    /// Where a partner books, the one rule as an SQL condition: every market for a partner made before markets
    /// were limited (`all_markets`), else the markets listed for it. False for an unknown partner.
    private static func mayBook(_ partner: UUID?, _ market: UUID?) -> SQLQueryString {
        """
        (COALESCE((SELECT pa.all_markets FROM partners pa WHERE pa.id = \(bind: partner)), \(false)) \
        OR EXISTS (SELECT 1 FROM partner_markets pm WHERE pm.partner_id = \(bind: partner) \
        AND pm.market_id = \(bind: market)))
        """
    }

    private static let patientColumns = PatientRow.columns.map { "p.\($0) AS \($0)" }.joined(separator: ", ")

    private static let marketsStatement = SQLQueryString(
        """
        SELECT id, name, state, time_zone, zip_codes, opens_at, closes_at, window_minutes, capacity_per_window, \
        road_factor, average_speed_mph FROM markets
        """)
}

extension MarketModel {
    /// A market from the columns ``BookingReferences`` reads, without Fluent's reflection.
    convenience init(row: any SQLRow) throws {
        self.init(
            id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
            state: try row.decode(column: "state", as: String.self),
            timeZone: try row.decode(column: "time_zone", as: String.self),
            zipCodes: try row.decode(column: "zip_codes", as: [String].self),
            opensAt: try row.decode(column: "opens_at", as: String.self),
            closesAt: try row.decode(column: "closes_at", as: String.self),
            windowMinutes: try row.decode(column: "window_minutes", as: Int.self),
            capacityPerWindow: try row.decode(column: "capacity_per_window", as: Int.self))
        storedRoadFactor = try row.decode(column: "road_factor", as: Double?.self)
        storedSpeedMph = try row.decode(column: "average_speed_mph", as: Int?.self)
    }
}
