import Fluent
import Foundation
import StationDomain
import Vocabulary

/// What a FHIR Patient search asks of a partner's patients: every condition holds; inside one, any of its
/// alternatives (FHIR's comma).
struct FHIRPatientQuery: Sendable, Equatable {
    var ids: Set<PatientID>?
    /// Name search keys: each group matches a family name or a whole name (given + family) starting with one.
    var names: [[String]] = []
    var families: [[String]] = []
    var givens: [[String]] = []
    /// `YYYY-MM-DD`.
    var birthDates: Set<String> = []
    /// MRN search keys: each group matches an MRN equal to one.
    var mrns: [[String]] = []
    /// A condition no patient can meet (an identifier of another system).
    var matchesNothing = false
}

extension StationStore {
    /// A page of the partner's patients matching `query`, by family name, given name and id (M009's indexes).
    func fhirPatients(partner: PartnerID, _ query: FHIRPatientQuery, after cursor: PageCursor?, limit: Int)
        async throws -> Page<Patient>
    {
        guard !query.matchesNothing else { return Page(items: [], nextCursor: nil) }
        let builder = Self.patients(of: partner, matching: query, on: db)
        if let cursor {
            guard cursor.kind == .patients, cursor.keys.count == 2 else { throw PageCursor.Invalid() }
            let (family, given, id) = (cursor.keys[0], cursor.keys[1], cursor.id)
            builder.group(.or) { or in
                or.filter(\.$familyKey > family)
                or.group(.and) { $0.filter(\.$familyKey == family).filter(\.$givenKey > given) }
                or.group(.and) { $0.filter(\.$familyKey == family).filter(\.$givenKey == given).filter(\.$id > id) }
            }
        }
        let models = try await builder.sort(\.$familyKey).sort(\.$givenKey).sort(\.$id).limit(limit + 1).all()
        let page = Array(models.prefix(limit))
        let next =
            models.count > limit
            ? try page.last.map {
                PageCursor(kind: .patients, keys: [$0.familyKey, $0.givenKey], id: try $0.requireID())
            }
            : nil
        return Page(items: try page.map { try $0.domain() }, nextCursor: next)
    }

    func countFHIRPatients(partner: PartnerID, _ query: FHIRPatientQuery) async throws -> Int {
        guard !query.matchesNothing else { return 0 }
        return try await Self.patients(of: partner, matching: query, on: db).count()
    }

    /// The partner's one patient `id`, nil when it is another's (or nobody's).
    func fhirPatient(partner: PartnerID, _ id: PatientID) async throws -> Patient? {
        try await PatientModel.query(on: db).filter(\.$id == id.rawValue).filter(\.$partnerID == partner.rawValue)
            .first()?.domain()
    }

    private static func patients(of partner: PartnerID, matching query: FHIRPatientQuery, on db: any Database)
        -> QueryBuilder<PatientModel>
    {
        let builder = PatientModel.query(on: db).filter(\.$partnerID == partner.rawValue)
        if let ids = query.ids { builder.filter(\.$id ~~ ids.map(\.rawValue)) }
        if !query.birthDates.isEmpty { builder.filter(\.$dateOfBirth ~~ query.birthDates.sorted()) }
        func prefix(
            _ group: QueryBuilder<PatientModel>, _ key: KeyPath<PatientModel, FieldProperty<PatientModel, String>>,
            _ low: String
        ) {
            group.group(.and) {
                $0.filter(key >= low).filter(key < SearchKey.upperBound(of: low))
            }
        }
        for names in query.names {
            builder.group(.or) { any in
                for name in names {
                    prefix(any, \.$familyKey, name)
                    prefix(any, \.$fullKey, name)
                }
            }
        }
        for families in query.families {
            builder.group(.or) { any in for family in families { prefix(any, \.$familyKey, family) } }
        }
        for givens in query.givens {
            // A given name starting with it: the whole name (given + family) does too, and that key is indexed.
            builder.group(.or) { any in
                for given in givens {
                    any.group(.and) { both in
                        prefix(both, \.$fullKey, given)
                        prefix(both, \.$givenKey, given)
                    }
                }
            }
        }
        for mrns in query.mrns { builder.filter(\.$mrnKey ~~ mrns) }
        return builder
    }
}
