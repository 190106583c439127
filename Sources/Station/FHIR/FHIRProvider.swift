import Foundation
import StationDomain
import Vocabulary

/// A FHIR R4 resource as Station serves it: an `Encodable` value whose JSON is the resource (with its
/// `resourceType`), built from Station's rows by the provider of its type.
protocol FHIRResource: Encodable, Sendable {
    var resourceType: String { get }
    var id: String { get }
    /// The PHI this resource shows, for the audit: ids only.
    var auditedPatients: [PatientID] { get }
    var auditedCareRequests: [CareRequestID] { get }
}

extension FHIRResource {
    var auditedPatients: [PatientID] { [] }
    var auditedCareRequests: [CareRequestID] { [] }
}

/// Who is asking, resolved by the FHIR routes from a verified token before any provider runs.
struct FHIRContext: Sendable {
    /// The one partner the token is bound to: every read and search is limited to it.
    var partner: PartnerID
    /// The token's client (the EHR's backend client), for the audit.
    var clientID: String
    var store: StationStore
    /// `<Station public URL>/fhir/r4`, for `fullUrl`s and references.
    var baseURL: String
    var now: Date
}

/// A search's parameters, other than the result parameters the routes handle themselves (`_count`,
/// `_format`, `_summary`, `_elements`, `_cursor`).
struct FHIRSearch: Sendable {
    /// In the order they came; a parameter may repeat.
    var parameters: [(name: String, value: String)]
    /// Resources per page, 1...200 (default 50).
    var count: Int
    /// The provider's own `next` token from the previous page, nil for the first page.
    var cursor: String?
    /// `_summary=count`: only `total` is wanted; `resources` may be empty.
    var onlyCount: Bool

    func values(_ name: String) -> [String] { parameters.filter { $0.name == name }.map(\.value) }
}

/// One page of a search.
struct FHIRSearchPage: Sendable {
    var resources: [any FHIRResource]
    /// The number of matches in all pages, when cheap to know (always when `onlyCount`).
    var total: Int?
    /// The token for the next page, nil on the last.
    var next: String?
}

/// A search parameter a provider understands, listed in the CapabilityStatement; any other is refused (400).
struct FHIRSearchParameter: Sendable {
    var name: String
    /// FHIR's search parameter type: `string`, `token`, `date`, `reference`.
    var type: String
    var documentation: String
}

/// Refusals a provider throws; the routes answer each as an `OperationOutcome`.
enum FHIRError: Error, Sendable {
    /// 400 `invalid` (an unknown parameter, a malformed value).
    case badRequest(String)
    /// 404 `not-found`: none, or another partner's (audited as denied by the routes).
    case notFound
}

/// Read and search of one resource type at `/fhir/r4/<type>` and `/fhir/r4/<type>/<id>`.
protocol FHIRResourceProvider: Sendable {
    var type: String { get }
    var searchParameters: [FHIRSearchParameter] { get }
    /// The resource `id` of the context's partner, nil when there is none (or it is another partner's).
    func read(_ id: String, in context: FHIRContext) async throws -> (any FHIRResource)?
    func search(_ search: FHIRSearch, in context: FHIRContext) async throws -> FHIRSearchPage
}
