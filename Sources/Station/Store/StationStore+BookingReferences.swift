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
        let sql = db.sql
        let markets = try await sql.raw(marketsStatement).all().map(MarketModel.init(row:))
        let market = markets.first { $0.zipCodes.contains(new.visitAddress.zip) }
        let partner = new.partnerID?.rawValue
        let marketID = market?.id
        let statement: SQLQueryString = """
            SELECT \(unsafeRaw: patientColumns), s.id AS s_id, s.name AS s_name, s.code AS s_code, \
            s.visit_minutes AS s_visit_minutes, pa.all_markets AS partner_all_markets, \
            EXISTS (SELECT 1 FROM partner_markets pm WHERE pm.partner_id = \(bind: partner) \
            AND pm.market_id = \(bind: marketID)) AS partner_in_market \
            FROM (SELECT 1 AS one) o \
            LEFT JOIN patients p ON p.id = \(bind: new.patientID.rawValue) \
            LEFT JOIN service_lines s ON s.id = \(bind: new.serviceLineID.rawValue) \
            LEFT JOIN partners pa ON pa.id = \(bind: partner)
            """
        guard let row = try await sql.raw(statement).first() else {
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
        let everywhere = try row.decode(column: "partner_all_markets", as: Bool?.self) ?? false
        let here = try row.decode(column: "partner_in_market", as: Bool?.self) ?? false
        return BookingReferences(
            patient: patient, serviceLine: line, market: market,
            partnerMayBook: partner != nil && market != nil && (everywhere || here))
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
