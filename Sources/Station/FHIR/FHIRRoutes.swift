import Foundation
import Platform
import Vapor

/// Station's FHIR R4 API at `/fhir/r4` (owner: the FHIR core; this is the lead's stub until it lands).
enum FHIRRoutes {
    /// Every resource type served, in the CapabilityStatement's order.
    static let providers: [any FHIRResourceProvider] = [
        PatientProvider(), ServiceRequestProvider(), AppointmentProvider(), LocationProvider(),
        OrganizationProvider(),
    ]

    static func register(_ app: Application, config: StationConfig, store: StationStore, verifier: TokenVerifier)
        throws
    {}
}
