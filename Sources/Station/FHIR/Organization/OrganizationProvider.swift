import Foundation
import StationDomain
import Vocabulary

/// FHIR `Organization` (stub until its owner lands it).
struct OrganizationProvider: FHIRResourceProvider {
    let type = "Organization"
    var searchParameters: [FHIRSearchParameter] { [] }

    func read(_ id: String, in context: FHIRContext) async throws -> (any FHIRResource)? { nil }

    func search(_ search: FHIRSearch, in context: FHIRContext) async throws -> FHIRSearchPage {
        FHIRSearchPage(resources: [], total: 0, next: nil)
    }
}
