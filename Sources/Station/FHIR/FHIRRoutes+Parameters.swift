import Foundation

/// A FHIR request's parameters, split into the search's own and the result parameters the routes handle for
/// every type (`_count`, `_cursor`, `_format`, `_summary`, `_elements`).
struct FHIRRequestParameters: Sendable {
    typealias Parameter = (name: String, value: String)

    /// The search's own parameters, in the order they came.
    var search: [Parameter] = []
    /// Every parameter but `_count` and `_cursor`, in the order they came: what a next link repeats.
    var kept: [Parameter] = []
    var count = 50
    var cursor: String?
    var onlyCount = false
    /// `_elements`: the top-level elements wanted, nil for all.
    var elements: Set<String>?

    static let countRange = 1...200
    static let defaultCount = 50
    /// Result parameters a read accepts (besides `_summary=false`).
    static let readParameters: Set<String> = ["_format", "_elements", "_pretty"]

    /// Reads a search's (or, when `read`, a read's) parameters; a refusal is 400, or 406 for a format other than JSON.
    init(_ parameters: [Parameter], read: Bool = false) throws(FHIRRefusal) {
        for (name, value) in parameters {
            if read, name.hasPrefix("_"), !Self.readParameters.contains(name), name != "_summary" {
                throw .invalid("\(name) is not a parameter of a read; a read takes _format and _elements.")
            }
            switch name {
            case "_count":
                guard let count = Int(value), Self.countRange.contains(count) else {
                    throw .invalid("_count must be a whole number from 1 to 200 (default 50).")
                }
                self.count = count
                continue
            case "_cursor":
                cursor = value
                continue
            case "_format":
                try Self.checkFormat(value)
            case "_summary":
                switch value {
                case "count" where !read: onlyCount = true
                case "false": break
                default:
                    throw .invalid(read ? "A read takes only _summary=false." : "_summary must be count or false.")
                }
            case "_elements":
                elements = (elements ?? []).union(try Self.elements(value))
            case "_pretty":
                break
            default:
                if read { throw .invalid("A read takes no search parameter (\(name)).") }
                search.append((name, value))
            }
            kept.append((name, value))
        }
    }

    /// `_format`: JSON in any of its spellings (a `+` sent unencoded arrives as a space).
    static func checkFormat(_ value: String) throws(FHIRRefusal) {
        let format = value.replacingOccurrences(of: " ", with: "+").lowercased()
        guard ["json", "application/json", "application/fhir+json"].contains(format) else {
            throw .notSupported(
                .notAcceptable, "This server answers only JSON (_format=json or application/fhir+json), not \(value).")
        }
    }

    /// An `Accept` header that refuses JSON (`application/fhir+xml` alone, say) is 406.
    static func checkAccept(_ values: [String]) throws(FHIRRefusal) {
        let types = values.flatMap { $0.split(separator: ",") }.map {
            $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        }.filter { !$0.isEmpty }
        guard !types.isEmpty else { return }
        let json: Set<String> = [
            "*/*", "application/*", "application/json", "application/fhir+json", "application/json+fhir",
        ]
        guard types.contains(where: json.contains) else {
            throw .notSupported(.notAcceptable, "This server answers only application/fhir+json.")
        }
    }

    /// `_elements`: comma-separated top-level element names.
    static func elements(_ value: String) throws(FHIRRefusal) -> Set<String> {
        let names = value.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        for name in names {
            guard let first = name.first, first.isASCII, first.isLetter,
                name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
            else {
                throw .invalid("_elements must name top-level elements, comma-separated (such as name,birthDate).")
            }
        }
        return Set(names)
    }

    /// The parameters of a query string (`a=1&b=2`), decoded (`+` is a space), in order.
    static func parse(query: String?) -> [Parameter] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let name = decode(parts[0])
            guard !name.isEmpty else { return nil }
            return (name, parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}
