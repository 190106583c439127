import Foundation
import StationDomain
import Vocabulary

/// FHIR `Appointment` (stub until its owner lands it).
struct AppointmentProvider: FHIRResourceProvider {
    let type = "Appointment"
    var searchParameters: [FHIRSearchParameter] { [] }

    func read(_ id: String, in context: FHIRContext) async throws -> (any FHIRResource)? { nil }

    func search(_ search: FHIRSearch, in context: FHIRContext) async throws -> FHIRSearchPage {
        FHIRSearchPage(resources: [], total: 0, next: nil)
    }
}
