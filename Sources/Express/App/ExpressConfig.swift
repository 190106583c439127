import Foundation
import Platform

/// Express's settings, read once at start: defaults < environment < command line.
package struct ExpressConfig: Sendable {
    package var endpoint = ServiceEndpoint(port: 8080)
    package var database: DatabaseLocation
    package var dataDirectory: String
    /// Where browsers reach Express (its callback and return URLs are built on it).
    package var publicURL = "http://localhost:8080"
    /// The identity provider: the partner users' tenant for sign-in, the machine tenant for M2M tokens.
    package var userIssuer = "http://localhost:8083/express"
    package var machineIssuer = "http://localhost:8083/staff"
    package var identityURL = "http://localhost:8083"
    package var clientID = "express-web"
    package var clientSecret: String
    package var machineClientID = "express-m2m"
    package var machineClientSecret: String
    package var stationURL = "http://localhost:8082"
    /// Station's FHIR API as EHRs reach it (`STATION_PUBLIC_URL` else Station's URL, + `/fhir/r4`), shown to the
    /// admin who connects one.
    package var fhirBaseURL = "http://localhost:8082/fhir/r4"
    package var ossURL = "http://localhost:8081"
    /// Standard Webhooks secret shared with OSS for the care request callback.
    package var webhookSecret: String
    package var secureCookies = false
    package var supportPhone = "(303) 555-0100"
    /// Deliver the outbox from a background worker while `selfsched serve` runs Express (off to drive it by hand).
    package var runOutboxWorker = true
    /// Standard Webhooks secret of Station's event push (`STATION_EVENTS_SECRET`, shared with Station and OSS).
    package var stationEventsSecret = Secrets.randomToken()
    /// The live pages' event stream (heartbeat, re-check of the viewer).
    package var live = LiveStreamSettings()
    /// `SELFSCHED_ENV=production`: partner webhook endpoints must be https on public addresses.
    package var production = false
    /// Signs the one-click unsubscribe links of notification emails (`EXPRESS_UNSUBSCRIBE_SECRET`).
    package var unsubscribeSecret = Secrets.randomToken()
    /// How notification emails leave (`SMTP_URL`, `MAIL_FROM`; files under the data directory by default).
    package var mail: MailSettings
    /// Where product analytics go (`ANALYTICS_*`; JSON lines in the data directory by default).
    package var analytics: AnalyticsSettings

    package init(
        database: DatabaseLocation, dataDirectory: String, clientSecret: String, machineClientSecret: String,
        webhookSecret: String
    ) {
        self.database = database
        self.dataDirectory = dataDirectory
        self.clientSecret = clientSecret
        self.machineClientSecret = machineClientSecret
        self.webhookSecret = webhookSecret
        mail = MailSettings(from: MailSettings.defaultFrom, smtp: nil, dataDirectory: dataDirectory)
        analytics = AnalyticsSettings(dataDirectory: dataDirectory)
    }

    /// Reads `EXPRESS_*`, `STATION_URL`, `STATION_PUBLIC_URL`, `OSS_URL`, `IDENTITY_PUBLIC_URL`, `ANALYTICS_*` and
    /// `SELFSCHED_ENV`; in development the secrets come from the data directory (generated on first run), in
    /// production they must be set.
    package static func fromEnvironment(
        _ env: [String: String] = ProcessInfo.processInfo.environment,
        dataDirectory: String
    ) throws -> ExpressConfig {
        let secrets = try SecretSource(
            environment: env, dataDirectory: dataDirectory,
            generating: ["express-web", "express-m2m", "oss-webhook", "express-unsubscribe"])
        func secret(_ name: String, _ generatedName: String) throws -> String {
            try secrets.value(name, generated: generatedName)
        }
        var config = ExpressConfig(
            database: try DatabaseLocation(url: env["EXPRESS_DATABASE_URL"] ?? "\(dataDirectory)/express.sqlite"),
            dataDirectory: dataDirectory,
            clientSecret: try secret("EXPRESS_CLIENT_SECRET", "express-web"),
            machineClientSecret: try secret("EXPRESS_M2M_CLIENT_SECRET", "express-m2m"),
            webhookSecret: try secret("EXPRESS_WEBHOOK_SECRET", "oss-webhook"))
        config.unsubscribeSecret = try secret("EXPRESS_UNSUBSCRIBE_SECRET", "express-unsubscribe")
        config.mail = try MailSettings.fromEnvironment(env, dataDirectory: dataDirectory)
        config.analytics = try AnalyticsSettings.fromEnvironment(env, dataDirectory: dataDirectory)
        config.stationEventsSecret = try SecretSource(
            environment: env, dataDirectory: dataDirectory, generating: ["station-events"]
        ).value("STATION_EVENTS_SECRET", generated: "station-events")
        try config.endpoint.apply(env, prefix: "EXPRESS")
        if env["EXPRESS_PORT"] != nil { config.publicURL = "http://localhost:\(config.endpoint.port)" }
        if let url = env["EXPRESS_PUBLIC_URL"] { config.publicURL = url }
        if env["IDENTITY_PUBLIC_URL"] != nil || env["IDENTITY_PORT"] != nil {
            let url = IdentityIssuers.baseURL(env)
            config.identityURL = url
            config.userIssuer = url + "/express"
            config.machineIssuer = url + "/staff"
        }
        if let issuer = env["EXPRESS_OIDC_ISSUER"] { config.userIssuer = issuer }
        if let id = env["EXPRESS_CLIENT_ID"] { config.clientID = id }
        if let url = env["STATION_URL"] ?? env["STATION_PORT"].map({ "http://localhost:\($0)" }) {
            config.stationURL = url
        }
        config.fhirBaseURL = (env["STATION_PUBLIC_URL"] ?? config.stationURL) + "/fhir/r4"
        if let url = env["OSS_URL"] ?? env["OSS_PORT"].map({ "http://localhost:\($0)" }) { config.ossURL = url }
        config.secureCookies = env["SELFSCHED_ENV"] == "production"
        config.production = env["SELFSCHED_ENV"] == "production"
        return config
    }
}
