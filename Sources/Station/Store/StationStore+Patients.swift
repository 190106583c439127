import Fluent
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
    /// ordered by family name, given name and id.
    func searchPatients(partner: PartnerID, query: PatientQuery, after cursor: PageCursor?, limit: Int) async throws -> Page<Patient> {
        let q = PatientModel.query(on: db).filter(\.$partnerID == partner.rawValue)
        switch query {
        case .dateOfBirth(let iso):
            q.filter(\.$dateOfBirth == iso)
        case .prefix(let name, let digits):
            let upper = SearchKey.upperBound(of: name)
            q.group(.or) { or in
                for key in [\PatientModel.$familyKey, \PatientModel.$givenKey, \PatientModel.$fullKey, \PatientModel.$mrnKey] {
                    or.group(.and) { $0.filter(key >= name).filter(key < upper) }
                }
                if !digits.isEmpty {
                    or.group(.and) { $0.filter(\.$phoneKey >= digits).filter(\.$phoneKey < SearchKey.upperBound(of: digits)) }
                }
            }
        }
        if let cursor {
            let (family, given, id) = (cursor.keys[0], cursor.keys[1], cursor.id)
            q.group(.or) { or in
                or.filter(\.$familyKey > family)
                or.group(.and) { $0.filter(\.$familyKey == family).filter(\.$givenKey > given) }
                or.group(.and) { $0.filter(\.$familyKey == family).filter(\.$givenKey == given).filter(\.$id > id) }
            }
        }
        let rows = try await q.sort(\.$familyKey).sort(\.$givenKey).sort(\.$id).limit(limit + 1).all()
        let page = Array(rows.prefix(limit))
        let next = rows.count > limit ? page.last.map {
            PageCursor(kind: .patients, keys: [$0.familyKey, $0.givenKey], id: $0.id!)
        } : nil
        return Page(items: page.map(\.domain), nextCursor: next)
    }
}
