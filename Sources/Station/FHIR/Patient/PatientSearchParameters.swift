import Foundation
import StationDomain
import Vocabulary

/// A Patient search's parameters read into the store's query: `name`, `family`, `given` (prefix, any case),
/// `birthdate` (a day, `eq` only), `identifier` (an MRN: `value` or `<MRN system>|value`), `_id`.
enum PatientSearchParameters {
    static func query(_ search: FHIRSearch) throws -> FHIRPatientQuery {
        var query = FHIRPatientQuery()
        for value in search.values("_id") {
            let ids = Set(alternatives(value).compactMap { PatientID(wire: $0) })
            query.ids = query.ids.map { $0.intersection(ids) } ?? ids
        }
        query.names = try keys(search.values("name"), "name")
        query.families = try keys(search.values("family"), "family")
        query.givens = try keys(search.values("given"), "given")
        for value in search.values("birthdate") {
            query.birthDates.insert(try birthDate(value))
            if query.birthDates.count > 1 { query.matchesNothing = true }
        }
        for value in search.values("identifier") {
            var mrns: [String] = []
            for item in alternatives(value) {
                let (system, code) = item.contains("|") ? split(item) : (nil, item)
                guard !code.isEmpty else {
                    throw FHIRError.badRequest(
                        "identifier needs a value: <value> or \(FHIRSystems.mrn)|<value>")
                }
                if let system, !system.isEmpty, system != FHIRSystems.mrn { continue }
                mrns.append(SearchKey.name(code))
            }
            if mrns.isEmpty { query.matchesNothing = true }
            query.mrns.append(mrns)
        }
        return query
    }

    /// `YYYY-MM-DD` or `eqYYYY-MM-DD`.
    static func birthDate(_ value: String) throws -> String {
        let day = value.hasPrefix("eq") ? String(value.dropFirst(2)) : value
        guard let date = LocalDate(iso: day), date.iso == day else {
            throw FHIRError.badRequest("birthdate must be a day (YYYY-MM-DD), optionally with the prefix eq")
        }
        return day
    }

    private static func keys(_ values: [String], _ name: String) throws -> [[String]] {
        try values.map { value in
            let keys = alternatives(value).map(SearchKey.name).filter { !$0.isEmpty }
            guard !keys.isEmpty else { throw FHIRError.badRequest("\(name) needs letters or digits to search by") }
            return keys
        }
    }

    private static func alternatives(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private static func split(_ item: String) -> (String?, String) {
        let parts = item.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
        return (String(parts[0]), String(parts[1]))
    }
}
