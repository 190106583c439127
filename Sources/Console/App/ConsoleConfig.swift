import Foundation
import Platform

/// Console's settings, read once at start: defaults < environment < command line.
package struct ConsoleConfig: Sendable {
    package var endpoint = ServiceEndpoint(port: 8085)
    package var database: DatabaseLocation
    package var dataDirectory: String
    /// Where browsers reach Console (its sign-in callback and logout addresses are built on it).
    /// The default is Identity's default for Console's redirect URIs (`CONSOLE_PUBLIC_URL` sets both).
    package var publicURL = "http://127.0.0.1:8085"
    /// The staff tenant: staff sign in there, and Console's machine client (console-m2m) gets its tokens there.
    package var staffIssuer = "http://localhost:8083/staff"
    package var identityURL = "http://localhost:8083"
    package var clientID = "console-web"
    package var clientSecret: String
    package var machineClientID = "console-m2m"
    package var machineClientSecret: String
    package var stationURL = "http://localhost:8082"
    package var policyURL = "http://localhost:8084"
    package var expressURL = "http://localhost:8080"
    package var secureCookies = false
    /// The live pages' event stream (heartbeat, re-check of the viewer).
    package var live = LiveStreamSettings()
    /// How often the follower asks Station's event feed for new events.
    package var followEvery: Duration = .milliseconds(500)
    /// Follow Station's event feed while `selfsched serve` runs Console (off in tests that drive it by hand).
    package var followEvents = true
    /// Where Console's analytics go; the funnel page reads the JSON lines file (``AnalyticsSettings/file``).
    package var analytics: AnalyticsSettings

    package init(database: DatabaseLocation, dataDirectory: String, clientSecret: String, machineClientSecret: String) {
        self.database = database
        self.dataDirectory = dataDirectory
        self.clientSecret = clientSecret
        self.machineClientSecret = machineClientSecret
        analytics = AnalyticsSettings(dataDirectory: dataDirectory)
    }

    /// Reads `CONSOLE_*`, `STATION_URL`, `POLICY_URL`, `EXPRESS_URL`, `IDENTITY_PUBLIC_URL`, `ANALYTICS_*` and
    /// `SELFSCHED_ENV`; in
    /// development the client secrets come from the data directory (generated on first run, shared with Identity),
    /// in production they must be set (`CONSOLE_CLIENT_SECRET`, `CONSOLE_M2M_CLIENT_SECRET`).
    package static func fromEnvironment(
        _ env: [String: String] = ProcessInfo.processInfo.environment, dataDirectory: String
    ) throws -> ConsoleConfig {
        let secrets = try SecretSource(
            environment: env, dataDirectory: dataDirectory, generating: ["console-web", "console-m2m"])
        var config = ConsoleConfig(
            database: try DatabaseLocation(url: env["CONSOLE_DATABASE_URL"] ?? "\(dataDirectory)/console.sqlite"),
            dataDirectory: dataDirectory,
            clientSecret: try secrets.value("CONSOLE_CLIENT_SECRET", generated: "console-web"),
            machineClientSecret: try secrets.value("CONSOLE_M2M_CLIENT_SECRET", generated: "console-m2m"))
        try config.endpoint.apply(env, prefix: "CONSOLE")
        if env["CONSOLE_PORT"] != nil { config.publicURL = "http://127.0.0.1:\(config.endpoint.port)" }
        if let url = env["CONSOLE_PUBLIC_URL"] { config.publicURL = url }
        if env["IDENTITY_PUBLIC_URL"] != nil || env["IDENTITY_PORT"] != nil {
            let url = IdentityIssuers.baseURL(env)
            config.identityURL = url
            config.staffIssuer = url + "/staff"
        }
        if let issuer = env["CONSOLE_OIDC_ISSUER"] { config.staffIssuer = issuer }
        if let id = env["CONSOLE_CLIENT_ID"] { config.clientID = id }
        if let id = env["CONSOLE_M2M_CLIENT_ID"] { config.machineClientID = id }
        func url(_ service: String) -> String? {
            env["\(service)_URL"] ?? env["\(service)_PORT"].map { "http://localhost:\($0)" }
        }
        if let value = url("STATION") { config.stationURL = value }
        if let value = url("POLICY") { config.policyURL = value }
        if let value = url("EXPRESS") { config.expressURL = value }
        config.secureCookies = env["SELFSCHED_ENV"] == "production"
        config.analytics = try AnalyticsSettings.fromEnvironment(env, dataDirectory: dataDirectory)
        return config
    }
}
