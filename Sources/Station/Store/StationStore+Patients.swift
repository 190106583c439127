import Fluent
import SQLKit
import Platform
import Foundation

extension StationStore {
    func createPatient(partner: PartnerID?, details: NewPatient) async throws -> Patient {
        try details.validate(today: LocalDate(now(), in: TimeZone(identifier: "UTC")!))
        let model = PatientModel(id: UUID(), partnerID: partner?.rawValue, details: details, createdAt: timestamp())
        try await write { db in try await model.create(on: db) }
        return model.domain
    }

    func patient(_ id: PatientID) async throws -> Patient? {
        try await PatientModel.find(id.rawValue, on: db)?.domain
    }

    /// A partner's patients whose name, phone or MRN starts with the query, or born on its date,
    /// ordered by family name, given name and id. Decoded column by column, as lists are (see `listCareRequests`).
    func searchPatients(partner: PartnerID, query: PatientQuery, after cursor: PageCursor?, limit: Int) async throws -> Page<Patient> {
        func column(_ name: String) -> SQLColumn { SQLColumn(name) }
        let q = db.sql.select().column(SQLRaw(PatientRow.columns.joined(separator: ", "))).from(PatientModel.schema)
            .where(column("partner_id"), .equal, SQLBind(partner.rawValue))
        switch query {
        case .dateOfBirth(let iso):
            q.where(column("date_of_birth"), .equal, SQLBind(iso))
        case .prefix(let name, let digits):
            q.where { or in
                for key in ["family_key", "given_key", "full_key", "mrn_key"] {
                    or.orWhere { $0.where(column(key), .greaterThanOrEqual, SQLBind(name))
                        .where(column(key), .lessThan, SQLBind(SearchKey.upperBound(of: name))) }
                }
                if !digits.isEmpty {
                    or.orWhere { $0.where(column("phone_key"), .greaterThanOrEqual, SQLBind(digits))
                        .where(column("phone_key"), .lessThan, SQLBind(SearchKey.upperBound(of: digits))) }
                }
                return or
            }
        }
        if let cursor {
            let (family, given, id) = (cursor.keys[0], cursor.keys[1], cursor.id)
            q.where { or in
                or.orWhere(column("family_key"), .greaterThan, SQLBind(family))
                    .orWhere { $0.where(column("family_key"), .equal, SQLBind(family)).where(column("given_key"), .greaterThan, SQLBind(given)) }
                    .orWhere {
                        $0.where(column("family_key"), .equal, SQLBind(family)).where(column("given_key"), .equal, SQLBind(given))
                            .where(column("id"), .greaterThan, SQLBind(id))
                    }
            }
        }
        let rows = try await q.orderBy("family_key").orderBy("given_key").orderBy("id").limit(limit + 1).all()
            .map(PatientRow.init(row:))
        let page = Array(rows.prefix(limit))
        let next = rows.count > limit ? page.last.map {
            PageCursor(kind: .patients, keys: [$0.familyKey, $0.givenKey], id: $0.patient.id.rawValue)
        } : nil
        return Page(items: page.map(\.patient), nextCursor: next)
    }
}

/// A patient row as a search reads it, with the sort keys its cursor needs.
private struct PatientRow {
    var patient: Patient
    var familyKey: String
    var givenKey: String

    static let columns = ["id", "partner_id", "given_name", "family_name", "date_of_birth", "sex", "phone", "email",
                          "address", "mrn", "family_key", "given_key", "created_at"]

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
