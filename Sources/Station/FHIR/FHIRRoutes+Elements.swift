import Foundation

/// `_elements`: a resource with only the elements asked for (and `resourceType`, `id`, `meta`), tagged
/// `SUBSETTED` as FHIR requires (https://hl7.org/fhir/R4/search.html#elements).
enum FHIRElements {
    static let alwaysKept: Set<String> = ["resourceType", "id", "meta"]
    static var subsetted: [String: Any] {
        [
            "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "code": "SUBSETTED",
        ]
    }

    static func subset(_ resource: [String: Any], keeping elements: Set<String>) -> [String: Any] {
        var kept = resource.filter { alwaysKept.contains($0.key) || elements.contains($0.key) }
        var meta = kept["meta"] as? [String: Any] ?? [:]
        meta["tag"] = (meta["tag"] as? [Any] ?? []) + [subsetted]
        kept["meta"] = meta
        return kept
    }

    /// The JSON of a resource, or of a Bundle whose every entry's resource is subsetted.
    static func apply(_ elements: Set<String>, to json: Data) throws -> Data {
        guard var object = try JSONSerialization.jsonObject(with: json) as? [String: Any] else { return json }
        if object["resourceType"] as? String == "Bundle" {
            if let entries = object["entry"] as? [[String: Any]] {
                object["entry"] = entries.map { entry in
                    var entry = entry
                    if let resource = entry["resource"] as? [String: Any] {
                        entry["resource"] = subset(resource, keeping: elements)
                    }
                    return entry
                }
            }
        } else {
            object = subset(object, keeping: elements)
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }
}
