import Foundation
import StationDomain
import Vocabulary

/// A `Location` search's parameters: each repeat narrows (and), commas within one value widen (or).
struct LocationFilter: Sendable {
    var ids: [[String]] = []
    var names: [[String]] = []
    var postalCodes: [[String]] = []
    var states: [[String]] = []

    init(_ search: FHIRSearch) throws {
        func alternatives(_ name: String) throws -> [[String]] {
            try search.values(name).map { value in
                let parts = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else {
                    throw FHIRError.badRequest("\(name) needs a value.")
                }
                return parts
            }
        }
        ids = try alternatives("_id")
        names = try alternatives("name").map { $0.map(Self.folded) }
        postalCodes = try alternatives("address-postalcode")
        states = try alternatives("address-state").map { $0.map { $0.uppercased() } }
    }

    func matches(_ market: MarketModel) -> Bool {
        let id = market.id.map { MarketID($0).wire } ?? ""
        let name = Self.folded(market.name)
        return ids.allSatisfy { $0.contains(id) }
            && names.allSatisfy { $0.contains { name.hasPrefix($0) } }
            && postalCodes.allSatisfy { $0.contains { code in market.zipCodes.contains { $0.hasPrefix(code) } } }
            && states.allSatisfy { $0.contains(market.state.uppercased()) }
    }

    /// FHIR string search ignores case and accents.
    static func folded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
    }
}
