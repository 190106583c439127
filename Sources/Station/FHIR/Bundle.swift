// swift-format-ignore-file: AlwaysUseLowerCamelCase
// (FHIR's JSON names are its own: `resourceType`, `fullUrl`.)

import Foundation

/// A FHIR `Bundle` of type `searchset`: one page of a search (https://hl7.org/fhir/R4/bundle.html).
struct FHIRBundle: Encodable, Sendable {
    var resourceType = "Bundle"
    var meta: FHIRMeta?
    var type = "searchset"
    var total: Int?
    var link: [Link]
    var entry: [Entry]?

    struct Link: Encodable, Sendable, Equatable {
        var relation: String
        var url: String
    }

    struct Entry: Encodable, Sendable {
        var fullUrl: String
        var resource: any FHIRResource
        var search = Search()

        struct Search: Encodable, Sendable { var mode = "match" }

        enum CodingKeys: String, CodingKey { case fullUrl, resource, search }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(fullUrl, forKey: .fullUrl)
            try container.encode(resource, forKey: .resource)
            try container.encode(search, forKey: .search)
        }
    }

    /// The page of `type`'s search at `base` asked with `parameters`: `self` and, when there is one, `next` links.
    init(
        page: FHIRSearchPage, type: String, base: String, parameters: FHIRRequestParameters, now: Date
    ) {
        meta = FHIRMeta(lastUpdated: FHIRTime.instant(now))
        total = page.total
        var links = [
            Link(
                relation: "self",
                url: BundleLinks.url(
                    base: base, type: type, parameters: parameters.kept, count: parameters.count,
                    cursor: parameters.cursor))
        ]
        if let next = page.next, !parameters.onlyCount {
            links.append(
                Link(
                    relation: "next",
                    url: BundleLinks.url(
                        base: base, type: type, parameters: parameters.kept, count: parameters.count, cursor: next)))
        }
        link = links
        let entries = page.resources.map { resource in
            Entry(fullUrl: "\(base)/\(type)/\(resource.id)", resource: resource)
        }
        entry = parameters.onlyCount || entries.isEmpty ? nil : entries
    }
}

/// The URLs of a searchset's links: `<base>/<Type>?<parameters>&_count=N&_cursor=<token>`, percent-encoded.
enum BundleLinks {
    static func url(
        base: String, type: String, parameters: [FHIRRequestParameters.Parameter], count: Int, cursor: String?
    ) -> String {
        var all = parameters + [("_count", String(count))]
        if let cursor { all.append(("_cursor", cursor)) }
        let query = all.map { "\(encode($0.name))=\(encode($0.value))" }.joined(separator: "&")
        return "\(base)/\(type)?\(query)"
    }

    /// RFC 3986's unreserved characters stay; everything else is percent-encoded.
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
