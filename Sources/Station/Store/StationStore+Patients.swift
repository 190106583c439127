import Fluent
import Foundation
import Platform
import SQLKit
import StationDomain
import Vocabulary

extension StationStore {
    func createPatient(partner: PartnerID?, details: NewPatient) async throws -> Patient {
        guard let today = LocalDate(now(), in: .gmt) else { throw StationError.clockOutOfRange }
        try details.validate(today: today)
        let model = PatientModel(id: UUID(), partnerID: partner?.rawValue, details: details, createdAt: timestamp())
        try await write { db in try await model.create(on: db) }
        return try model.domain()
    }

    func patient(_ id: PatientID) async throws -> Patient? {
        try await PatientModel.find(id.rawValue, on: db)?.domain()
    }

    /// A partner's patients whose name, phone or MRN starts with the query, or born on its date,
    /// ordered by family name, given name and id.
    ///
    /// Each key has its own index holding the sort keys and the id too (M009). The given name needs no condition
    /// of its own: every name starting with the query has a full key (given + family) starting with it too.
    /// SQLite answers an OR of ranges by reading every matching row before sorting (4.2 ms for a common prefix in
    /// the largest partner at 1,000,000 care requests), so there the matches of each index are united first and only
    /// the page's rows are read (0.9 ms); PostgreSQL's bitmap OR with a top-N sort is faster than that union.
    func searchPatients(partner: PartnerID, query: PatientQuery, after cursor: PageCursor?, limit: Int) async throws
        -> Page<Patient>
    {
        let limit = PageSize.clamped(limit)
        func prefix(_ key: String, _ low: String) -> SQLQueryString {
            "\(ident: key) >= \(bind: low) AND \(ident: key) < \(bind: SearchKey.upperBound(of: low))"
        }
        var conditions: [SQLQueryString]
        switch query {
        case .dateOfBirth(let iso):
            conditions = ["date_of_birth = \(bind: iso)"]
        case .prefix(let name, let digits):
            conditions = [prefix("family_key", name), prefix("full_key", name), prefix("mrn_key", name)]
            if !digits.isEmpty { conditions.append(prefix("phone_key", digits)) }
        }
        var after: SQLQueryString = "1 = 1"
        if let cursor {
            guard cursor.kind == .patients, cursor.keys.count == 2 else { throw PageCursor.Invalid() }
            let (family, given, id) = (cursor.keys[0], cursor.keys[1], cursor.id)
            after = """
                (family_key > \(bind: family) OR (family_key = \(bind: family) AND given_key > \(bind: given)) \
                OR (family_key = \(bind: family) AND given_key = \(bind: given) AND id > \(bind: id)))
                """
        }
        let columns = PatientRow.columns.joined(separator: ", ")
        let order: SQLQueryString = "ORDER BY family_key, given_key, id"
        let statement: SQLQueryString
        if db.isSQLite {
            let union = SQLList(
                conditions.map { condition -> SQLQueryString in
                    "SELECT family_key, given_key, id FROM patients WHERE partner_id = \(bind: partner.rawValue) AND \(condition)"
                }, separator: SQLRaw(" UNION "))
            statement = """
                SELECT \(unsafeRaw: columns) FROM patients WHERE id IN (
                    SELECT id FROM (\(union)) AS matched WHERE \(after) \(order) LIMIT \(literal: limit + 1)) \(order)
                """
        } else {
            let any = SQLList(conditions.map { SQLGroupExpression($0) }, separator: SQLRaw(" OR "))
            statement = """
                SELECT \(unsafeRaw: columns) FROM patients WHERE partner_id = \(bind: partner.rawValue) AND (\(any)) AND \(after) \
                \(order) LIMIT \(literal: limit + 1)
                """
        }
        let rows = try await db.sql.raw(statement).all().map(PatientRow.init(row:))
        let page = Array(rows.prefix(limit))
        let next =
            rows.count > limit
            ? page.last.map {
                PageCursor(kind: .patients, keys: [$0.familyKey, $0.givenKey], id: $0.patient.id.rawValue)
            } : nil
        return Page(items: page.map(\.patient), nextCursor: next)
    }
}

/// A patient row as a search reads it, with the sort keys its cursor needs.
struct PatientRow {
    var patient: Patient
    var familyKey: String
    var givenKey: String

    static let columns = [
        "id", "partner_id", "given_name", "family_name", "date_of_birth", "sex", "phone", "email",
        "address", "mrn", "family_key", "given_key", "created_at",
    ]

    init(row: any SQLRow) throws {
        patient = Patient(
            id: PatientID(try row.decode(column: "id", as: UUID.self)),
            partnerID: try row.decode(column: "partner_id", as: UUID?.self).map { PartnerID($0) },
            details: NewPatient(
                givenName: try row.decode(column: "given_name", as: String.self),
                familyName: try row.decode(column: "family_name", as: String.self),
                dateOfBirth: try row.decode(column: "date_of_birth", as: String.self),
                sex: Sex(rawValue: try row.decode(column: "sex", as: String.self)) ?? .unknown,
                phone: try row.decode(column: "phone", as: String?.self),
                email: try row.decode(column: "email", as: String?.self),
                address: try row.decode(column: "address", as: Address?.self),
                mrn: try row.decode(column: "mrn", as: String?.self)),
            createdAt: try row.decode(column: "created_at", as: Date.self))
        familyKey = try row.decode(column: "family_key", as: String.self)
        givenKey = try row.decode(column: "given_key", as: String.self)
    }
}
