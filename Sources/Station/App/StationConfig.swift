import Foundation
import Platform

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

    package init(
        endpoint: ServiceEndpoint = ServiceEndpoint(port: 8082),
        database: DatabaseLocation,
        trustedIssuers: Set<String> = StationConfig.defaultIssuers,
        audience: String = "station",
        maxBodyBytes: Int = 64 * 1024
    ) {
        self.endpoint = endpoint
        self.database = database
        self.trustedIssuers = trustedIssuers
        self.audience = audience
        self.maxBodyBytes = maxBodyBytes
    }

    /// The embedded Identity service's tenants.
    package static let defaultIssuers: Set<String> = [
        "http://localhost:8083/express", "http://localhost:8083/patients", "http://localhost:8083/staff",
    ]

    /// Reads `STATION_DATABASE_URL`, `STATION_PORT`, `STATION_HOST`, `STATION_TRUSTED_ISSUERS`
    /// (comma-separated; by default every tenant at `IDENTITY_PUBLIC_URL`) and `STATION_AUDIENCE` over the defaults.
    package static func fromEnvironment(
        _ env: [String: String] = ProcessInfo.processInfo.environment,
        dataDirectory: String
    ) throws -> StationConfig {
        let database = try DatabaseLocation(url: env["STATION_DATABASE_URL"] ?? "\(dataDirectory)/station.sqlite")
        var config = StationConfig(database: database)
        try config.endpoint.apply(env, prefix: "STATION")
        config.trustedIssuers = IdentityIssuers.trusted(env, override: "STATION_TRUSTED_ISSUERS")
        if let audience = env["STATION_AUDIENCE"] { config.audience = audience }
        return config
    }
}
