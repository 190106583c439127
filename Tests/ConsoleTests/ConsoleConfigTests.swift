import Foundation
import Testing

@testable import Console
@testable import Platform

/// Console's settings: the defaults match Identity's registration of console-web, the environment overrides them,
/// and production needs its secrets.
@Suite("Console configuration")
struct ConsoleConfigTests {
    static let directory = NSTemporaryDirectory() + "console-config-\(UUID().uuidString)"

    @Test("defaults: port 8085, the public URL Identity registers, the staff tenant, the local services")
    func defaults() throws {
        let config = try ConsoleConfig.fromEnvironment([:], dataDirectory: Self.directory)
        #expect(config.endpoint.port == 8085)
        #expect(config.publicURL == "http://127.0.0.1:8085")
        #expect(config.staffIssuer == "http://localhost:8083/staff")
        #expect(config.clientID == "console-web")
        #expect(config.machineClientID == "console-m2m")
        #expect(config.stationURL == "http://localhost:8082")
        #expect(config.policyURL == "http://localhost:8084")
        #expect(config.expressURL == "http://localhost:8080")
        #expect(config.database == .sqlite(path: "\(Self.directory)/console.sqlite"))
        #expect(!config.clientSecret.isEmpty && config.clientSecret != config.machineClientSecret)
        #expect(!config.secureCookies)
        #expect(config.analytics.file?.path == "\(Self.directory)/analytics.jsonl")
        #expect(config.analytics.collectorURL == nil)
    }

    @Test("analytics: ANALYTICS_URL with its write key adds the collector, ANALYTICS_FILE=off stops the file")
    func analytics() throws {
        let config = try ConsoleConfig.fromEnvironment(
            ["ANALYTICS_URL": "https://collector.example", "ANALYTICS_WRITE_KEY": "key", "ANALYTICS_FILE": "off"],
            dataDirectory: Self.directory)
        #expect(config.analytics.collectorURL?.absoluteString == "https://collector.example")
        #expect(config.analytics.writeKey == "key" && config.analytics.file == nil)
        #expect(throws: ConfigurationError.self) {
            try ConsoleConfig.fromEnvironment(
                ["ANALYTICS_URL": "https://collector.example"], dataDirectory: Self.directory)
        }
    }

    @Test("the environment moves Console, its database, Identity and the services it calls")
    func environment() throws {
        let config = try ConsoleConfig.fromEnvironment(
            [
                "CONSOLE_PORT": "9085", "CONSOLE_PUBLIC_URL": "https://console.example",
                "IDENTITY_PUBLIC_URL":
                    "https://id.example", "STATION_URL": "http://station:8082", "POLICY_PORT": "9084",
                "EXPRESS_URL": "http://express:8080", "CONSOLE_CLIENT_SECRET": "web-secret",
                "CONSOLE_M2M_CLIENT_SECRET": "m2m-secret", "SELFSCHED_ENV": "production",
                "CONSOLE_DATABASE_URL": "postgres://u:p@db/console",
            ], dataDirectory: Self.directory)
        #expect(config.endpoint.port == 9085)
        #expect(config.publicURL == "https://console.example")
        #expect(config.staffIssuer == "https://id.example/staff")
        #expect(config.stationURL == "http://station:8082")
        #expect(config.policyURL == "http://localhost:9084")
        #expect(config.expressURL == "http://express:8080")
        #expect(config.clientSecret == "web-secret")
        #expect(config.machineClientSecret == "m2m-secret")
        #expect(config.secureCookies)
        if case .postgres = config.database {} else { Issue.record("CONSOLE_DATABASE_URL did not select PostgreSQL") }
    }

    @Test("production refuses to start without Console's client secrets, naming the missing one")
    func productionNeedsSecrets() {
        let error = #expect(throws: ConfigurationError.self) {
            try ConsoleConfig.fromEnvironment(
                ["SELFSCHED_ENV": "production", "CONSOLE_M2M_CLIENT_SECRET": "m2m"], dataDirectory: Self.directory)
        }
        #expect(error?.description.contains("CONSOLE_CLIENT_SECRET") == true)
    }
}
