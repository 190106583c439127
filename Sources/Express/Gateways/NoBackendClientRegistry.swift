import ExpressDomain
import Vocabulary

/// No identity provider for EHR connections (an Express built without one, as some harnesses build it): every
/// call says the service is unavailable, so the page shows it rather than an empty list.
package struct NoBackendClientRegistry: BackendClientRegistry {
    package init() {}

    package func register(partner: PartnerID, name: String, publicKey: String, registeredBy: UserID) async throws
        -> EHRConnection
    { throw unavailable }

    package func connections(of partner: PartnerID) async throws -> [EHRConnection] { throw unavailable }

    package func remove(_ clientID: String, of partner: PartnerID) async throws { throw unavailable }

    private var unavailable: ServiceUnavailable {
        ServiceUnavailable(service: "Identity", description: "No identity provider is configured for EHR connections")
    }
}
