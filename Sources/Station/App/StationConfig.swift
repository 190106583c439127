import Foundation
import Platform
import StationDomain

/// Station's settings, read once at start: defaults < environment < command line.
package struct StationConfig: Sendable {
    package var endpoint: ServiceEndpoint
    package var database: DatabaseLocation
    /// Issuers whose access tokens Station accepts (OIDC discovery at `<issuer>/.well-known/openid-configuration`).
    package var trustedIssuers: Set<String>
    package var audience: String
    package var maxBodyBytes: Int
    /// Deliver the outbox from a background worker while `selfsched serve` runs Station (off to drive it by hand).
    package var runOutboxWorker = true
    /// Where every event is pushed (one outbox destination each), besides the feed.
    package var eventSubscribers: [EventSubscriber]
    /// The Standard Webhooks secret the pushes are signed with, shared with every subscriber.
    package var eventsSecret: String
    /// The number a partner or patient is told to call when a visit can no longer be changed online.
    package var supportPhone = StationConfig.defaultSupportPhone
    package static let defaultSupportPhone = "(303) 555-0100"
    /// Where Station is reached from outside (`STATION_PUBLIC_URL`): the FHIR API's base is `<publicURL>/fhir/r4`.
    package var publicURL = "http://localhost:8082"
    /// OSS's public address (`OSS_PUBLIC_URL`): published slots link to `<bookingURL>/book?slot=…`.
    package var bookingURL = "http://localhost:8081"
    /// The token endpoint EHR backend clients authenticate at (the `express` tenant's), named in the SMART
    /// configuration and the CapabilityStatement.
    package var tokenURL = "http://localhost:8083/express/token"

    package init(
        endpoint: ServiceEndpoint = ServiceEndpoint(port: 8082),
        database: DatabaseLocation,
        trustedIssuers: Set<String> = StationConfig.defaultIssuers,
        audience: String = "station",
        maxBodyBytes: Int = 64 * 1024,
        eventSubscribers: [EventSubscriber] = EventSubscriber.defaults(
            expressURL: "http://localhost:8080", ossURL: "http://localhost:8081"),
        eventsSecret: String = Secrets.randomToken()
    ) {
        self.endpoint = endpoint
        self.database = database
        self.trustedIssuers = trustedIssuers
        self.audience = audience
        self.maxBodyBytes = maxBodyBytes
        self.eventSubscribers = eventSubscribers
        self.eventsSecret = eventsSecret
    }

    /// The embedded Identity service's tenants.
    package static let defaultIssuers: Set<String> = [
        "http://localhost:8083/express", "http://localhost:8083/patients", "http://localhost:8083/staff",
    ]

    /// Reads `STATION_DATABASE_URL`, `STATION_PORT`, `STATION_HOST`, `STATION_TRUSTED_ISSUERS`
    /// (comma-separated; by default every tenant at `IDENTITY_PUBLIC_URL`), `STATION_AUDIENCE`,
    /// `STATION_EVENT_SUBSCRIBERS` (`name=url,…`; by default Express and OSS at `EXPRESS_URL`/`OSS_URL`, or their
    /// ports) and `STATION_EVENTS_SECRET` (in development generated into the data directory as `station-events`,
    /// where Express and OSS read it too) over the defaults.
    package static func fromEnvironment(
        _ env: [String: String] = ProcessInfo.processInfo.environment,
        dataDirectory: String
    ) throws -> StationConfig {
        let database = try DatabaseLocation(url: env["STATION_DATABASE_URL"] ?? "\(dataDirectory)/station.sqlite")
        let secrets = try SecretSource(environment: env, dataDirectory: dataDirectory, generating: ["station-events"])
        var config = StationConfig(
            database: database, eventsSecret: try secrets.value("STATION_EVENTS_SECRET", generated: "station-events"))
        try config.endpoint.apply(env, prefix: "STATION")
        config.trustedIssuers = IdentityIssuers.trusted(env, override: "STATION_TRUSTED_ISSUERS")
        config.publicURL = env["STATION_PUBLIC_URL"] ?? "http://localhost:\(config.endpoint.port)"
        config.bookingURL =
            env["OSS_PUBLIC_URL"] ?? env["OSS_PORT"].map { "http://localhost:\($0)" } ?? config.bookingURL
        config.tokenURL = "\(IdentityIssuers.baseURL(env))/express/token"
        if let audience = env["STATION_AUDIENCE"] { config.audience = audience }
        config.eventSubscribers = try eventSubscribers(env)
        return config
    }

    static func eventSubscribers(_ env: [String: String]) throws -> [EventSubscriber] {
        if let list = env["STATION_EVENT_SUBSCRIBERS"] {
            do {
                return try EventSubscriber.parse(list)
            } catch {
                throw ConfigurationError("STATION_EVENT_SUBSCRIBERS: \(error.description)")
            }
        }
        func base(_ service: String, port: Int) -> String {
            env["\(service)_URL"] ?? "http://localhost:\(env["\(service)_PORT"] ?? String(port))"
        }
        return EventSubscriber.defaults(expressURL: base("EXPRESS", port: 8080), ossURL: base("OSS", port: 8081))
    }
}
