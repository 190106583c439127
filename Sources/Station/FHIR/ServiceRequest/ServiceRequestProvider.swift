import Foundation
import StationDomain
import Vocabulary

/// FHIR `ServiceRequest` (stub until its owner lands it).
struct ServiceRequestProvider: FHIRResourceProvider {
    let type = "ServiceRequest"
    var searchParameters: [FHIRSearchParameter] { [] }

    func read(_ id: String, in context: FHIRContext) async throws -> (any FHIRResource)? { nil }

    func search(_ search: FHIRSearch, in context: FHIRContext) async throws -> FHIRSearchPage {
        FHIRSearchPage(resources: [], total: 0, next: nil)
    }
}
