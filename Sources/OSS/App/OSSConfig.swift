import Foundation
import Platform

/// OSS's settings, read once at start: defaults < environment < command line.
package struct OSSConfig: Sendable {
    package var endpoint = ServiceEndpoint(port: 8081)
    package var database: DatabaseLocation
    package var publicURL = "http://localhost:8081"
    package var identityURL = "http://localhost:8083"
    package var partnerClientSecret: String
    package var directClientSecret: String
    package var machineClientSecret: String
    package var webhookSecret: String
    package var stationURL = "http://localhost:8082"
    package var policyURL = "http://localhost:8084"
    package var expressURL = "http://localhost:8080"
    /// Origins a handoff's return URL may point at.
    package var allowedReturnOrigins = ["http://localhost:8080"]
    /// How long a pushed handle lives; at most 10 minutes.
    package var handoffLifetime: TimeInterval = 600
    package var secureCookies = false
    package var supportPhone = "(303) 555-0100"
    /// Deliver callbacks from a background worker while `selfsched serve` runs OSS (off to drive the outbox by hand).
    package var runOutboxWorker = true
    /// Checks the signature of Station's event pushes (`STATION_EVENTS_SECRET`, shared with Station); empty refuses
    /// every push.
    package var stationEventsSecret = ""
    /// How the patients' emails leave (`SMTP_URL`, `MAIL_FROM`; `.eml` files under the data directory by default).
    package var mail = MailSettings(from: MailSettings.defaultFrom, smtp: nil, dataDirectory: ".selfsched")
    /// Where OSS's product analytics go (`ANALYTICS_*`; JSON lines under the data directory by default).
    package var analytics = AnalyticsSettings(dataDirectory: ".selfsched")

    package init(
        database: DatabaseLocation, partnerClientSecret: String, directClientSecret: String,
        machineClientSecret: String,
        webhookSecret: String
    ) {
        self.database = database
        self.partnerClientSecret = partnerClientSecret
        self.directClientSecret = directClientSecret
        self.machineClientSecret = machineClientSecret
        self.webhookSecret = webhookSecret
    }

    package var partnerIssuer: String { identityURL + "/express" }
    package var directIssuer: String { identityURL + "/patients" }
    package var machineIssuer: String { identityURL + "/staff" }

    package static func fromEnvironment(
        _ env: [String: String] = ProcessInfo.processInfo.environment,
        dataDirectory: String
    ) throws -> OSSConfig {
        let secrets = try SecretSource(
            environment: env, dataDirectory: dataDirectory,
            generating: ["oss-partner-web", "oss-d2m-web", "oss-m2m", "oss-webhook", "station-events"])
        func secret(_ name: String, _ generatedName: String) throws -> String {
            try secrets.value(name, generated: generatedName)
        }
        var config = OSSConfig(
            database: try DatabaseLocation(url: env["OSS_DATABASE_URL"] ?? "\(dataDirectory)/oss.sqlite"),
            partnerClientSecret: try secret("OSS_PARTNER_CLIENT_SECRET", "oss-partner-web"),
            directClientSecret: try secret("OSS_D2M_CLIENT_SECRET", "oss-d2m-web"),
            machineClientSecret: try secret("OSS_M2M_CLIENT_SECRET", "oss-m2m"),
            webhookSecret: try secret("OSS_WEBHOOK_SECRET", "oss-webhook"))
        config.stationEventsSecret = try secret("STATION_EVENTS_SECRET", "station-events")
        config.mail = try MailSettings.fromEnvironment(env, dataDirectory: dataDirectory)
        config.analytics = try AnalyticsSettings.fromEnvironment(env, dataDirectory: dataDirectory)
        try config.endpoint.apply(env, prefix: "OSS")
        if env["OSS_PORT"] != nil { config.publicURL = "http://localhost:\(config.endpoint.port)" }
        if let url = env["OSS_PUBLIC_URL"] { config.publicURL = url }
        if env["IDENTITY_PUBLIC_URL"] != nil || env["IDENTITY_PORT"] != nil {
            config.identityURL = IdentityIssuers.baseURL(env)
        }
        if let url = env["STATION_URL"] ?? env["STATION_PORT"].map({ "http://localhost:\($0)" }) {
            config.stationURL = url
        }
        if let url = env["POLICY_URL"] ?? env["POLICY_PORT"].map({ "http://localhost:\($0)" }) {
            config.policyURL = url
        }
        if let url = env["EXPRESS_URL"] { config.expressURL = url }
        config.allowedReturnOrigins =
            (env["OSS_ALLOWED_RETURN_ORIGINS"].map { $0.split(separator: ",").map(String.init) })
            ?? [env["EXPRESS_PUBLIC_URL"] ?? config.expressURL].map { url in
                guard let c = URLComponents(string: url), let scheme = c.scheme, let host = c.host else { return url }
                return "\(scheme)://\(host)" + (c.port.map { ":\($0)" } ?? "")
            }
        if let minutes = env["OSS_HANDOFF_MINUTES"] {
            guard let value = Double(minutes), value > 0, value <= 10 else {
                throw ConfigurationError("OSS_HANDOFF_MINUTES must be more than 0 and at most 10.")
            }
            config.handoffLifetime = value * 60
        }
        config.secureCookies = env["SELFSCHED_ENV"] == "production"
        return config
    }
}
