import Foundation
import Platform
import Vapor

/// Station's FHIR R4 API at `/fhir/r4`: the CapabilityStatement and SMART configuration (public), and read and
/// search of each provider's type for a backend client's token bound to one partner. Every error under the
/// path is an `OperationOutcome`. `$bulk-publish` is SMART Scheduling Links' (constant paths win over `:type`).
enum FHIRRoutes {
    /// Every resource type served, in the CapabilityStatement's order.
    static let providers: [any FHIRResourceProvider] = providers(supportPhone: StationConfig.defaultSupportPhone)

    static func providers(supportPhone: String, bookingURL: String? = nil) -> [any FHIRResourceProvider] {
        [
            PatientProvider(), ServiceRequestProvider(), AppointmentProvider(),
            LocationProvider(supportPhone: supportPhone, bookingURL: bookingURL), OrganizationProvider(),
        ]
    }

    static func register(_ app: Application, config: StationConfig, store: StationStore, verifier: TokenVerifier)
        throws
    {
        let base = "\(config.publicURL)/fhir/r4"
        let providers = providers(supportPhone: config.supportPhone, bookingURL: config.bookingURL)
        let audit = AuditLog(database: store.database, now: store.now)
        let handler = FHIRRequestHandler(
            providers: providers, access: FHIRAccess(verifier: verifier, audit: audit, store: store, baseURL: base),
            audit: audit)
        let capabilities = CapabilityStatement(
            providers: providers, baseURL: base, tokenURL: config.tokenURL, date: store.now())
        let smart = SMARTConfiguration(tokenURL: config.tokenURL, types: providers.map(\.type))

        let fhir = app.grouped("fhir", "r4").grouped(OperationOutcomeMiddleware())
        fhir.get("metadata") { req in
            try FHIRRequestParameters.checkAccept(req.headers[.accept])
            for (name, value) in FHIRRequestParameters.parse(query: req.url.query) where name == "_format" {
                try FHIRRequestParameters.checkFormat(value)
            }
            return FHIRResponse.json(capabilities)
        }
        fhir.get(".well-known", "smart-configuration") { _ in FHIRResponse.json(smart, contentType: "application/json")
        }
        app.get(".well-known", "smart-configuration") { _ in FHIRResponse.json(smart, contentType: "application/json") }
        fhir.get(":type") { req in
            try await handler.search(req, FHIRRequestParameters.parse(query: req.url.query))
        }
        fhir.on(.POST, ":type", "_search", body: .collect(maxSize: "64kb")) { req in
            guard req.headers.contentType == .urlEncodedForm || req.body.data == nil else {
                throw FHIRRefusal.notSupported(
                    .unsupportedMediaType, "POST _search takes application/x-www-form-urlencoded parameters.")
            }
            let body = req.body.data.map { String(buffer: $0) }
            return try await handler.search(
                req,
                FHIRRequestParameters.parse(query: req.url.query) + FHIRRequestParameters.parse(query: body))
        }
        fhir.get(":type", ":id") { req in try await handler.read(req) }
        fhir.get { _ -> Response in throw notFound }
        fhir.get("**") { _ -> Response in throw notFound }
        for method in [HTTPMethod.POST, .PUT, .PATCH, .DELETE] {
            fhir.on(method, "**") { _ -> Response in
                throw FHIRRefusal.notSupported(
                    .methodNotAllowed, "This server supports only read and search (GET, and POST <type>/_search).")
            }
        }
    }

    private static let notFound = FHIRRefusal.notFound(
        "No such FHIR endpoint: see /fhir/r4/metadata for the types served (read and search).")
}
