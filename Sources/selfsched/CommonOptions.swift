import ArgumentParser
import Express
import Foundation
import Identity
import OSS
import Platform
import Policy
import Station

/// Options every command shares: where data lives and how each service is reached. Each option overrides
/// its environment variable, which overrides the default.
struct CommonOptions: ParsableArguments {
    @Option(help: "Directory for SQLite files, keys and generated secrets (env SELFSCHED_DATA_DIR).")
    var dataDir: String = ProcessInfo.processInfo.environment["SELFSCHED_DATA_DIR"] ?? "./.selfsched"

    @Option(help: "Address every service listens on (env SELFSCHED_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Station's database URL: postgres://… or an SQLite path (env STATION_DATABASE_URL).")
    var stationDatabaseURL: String?

    @Option(help: "Identity's database URL (env IDENTITY_DATABASE_URL).")
    var identityDatabaseURL: String?

    @Option(help: "Express's database URL (env EXPRESS_DATABASE_URL).")
    var expressDatabaseURL: String?

    @Option(help: "Express's port (env EXPRESS_PORT; default 8080).")
    var expressPort: Int?

    @Option(help: "OSS's database URL (env OSS_DATABASE_URL).")
    var ossDatabaseURL: String?

    @Option(help: "OSS's port (env OSS_PORT; default 8081).")
    var ossPort: Int?

    @Option(help: "Station's port (env STATION_PORT; default 8082).")
    var stationPort: Int?

    @Option(help: "Identity's port (env IDENTITY_PORT; default 8083).")
    var identityPort: Int?

    @Option(help: "Policy's port (env POLICY_PORT; default 8084).")
    var policyPort: Int?

    @Option(help: "Console's database URL (env CONSOLE_DATABASE_URL).")
    var consoleDatabaseURL: String?

    @Option(help: "Console's port (env CONSOLE_PORT; default 8085).")
    var consolePort: Int?

    /// The environment with the command line laid over it.
    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        if let host { env["SELFSCHED_HOST"] = host }
        if let stationDatabaseURL { env["STATION_DATABASE_URL"] = stationDatabaseURL }
        if let identityDatabaseURL { env["IDENTITY_DATABASE_URL"] = identityDatabaseURL }
        if let stationPort { env["STATION_PORT"] = String(stationPort) }
        if let ossDatabaseURL { env["OSS_DATABASE_URL"] = ossDatabaseURL }
        if let ossPort { env["OSS_PORT"] = String(ossPort) }
        if let port = env["OSS_PORT"], env["OSS_URL"] == nil { env["OSS_URL"] = "http://localhost:\(port)" }
        if let port = env["OSS_PORT"], env["OSS_PUBLIC_URL"] == nil {
            env["OSS_PUBLIC_URL"] = "http://localhost:\(port)"
        }
        if let expressDatabaseURL { env["EXPRESS_DATABASE_URL"] = expressDatabaseURL }
        if let expressPort { env["EXPRESS_PORT"] = String(expressPort) }
        if let port = env["EXPRESS_PORT"], env["EXPRESS_URL"] == nil { env["EXPRESS_URL"] = "http://localhost:\(port)" }
        if let identityPort { env["IDENTITY_PORT"] = String(identityPort) }
        if let policyPort { env["POLICY_PORT"] = String(policyPort) }
        if let consoleDatabaseURL { env["CONSOLE_DATABASE_URL"] = consoleDatabaseURL }
        if let consolePort { env["CONSOLE_PORT"] = String(consolePort) }
        // Identity registers Console's redirect URIs on the same public URL Console builds them on.
        if let port = env["CONSOLE_PORT"], env["CONSOLE_PUBLIC_URL"] == nil {
            env["CONSOLE_PUBLIC_URL"] = "http://127.0.0.1:\(port)"
        }
        if let host = env["SELFSCHED_HOST"], env["STATION_HOST"] == nil { env["STATION_HOST"] = host }
        return env
    }

    /// What every service is built from.
    var settings: ServiceSettings { ServiceSettings(environment: environment, dataDirectory: dataDir) }

    func stationConfig() throws -> StationConfig {
        try StationConfig.fromEnvironment(environment, dataDirectory: dataDir)
    }
    func identityConfig() throws -> IdentityConfig {
        try IdentityConfig.fromEnvironment(environment, dataDirectory: dataDir)
    }
    func policyConfig() throws -> PolicyConfig { try PolicyConfig.fromEnvironment(environment) }
    func ossConfig() throws -> OSSConfig { try OSSConfig.fromEnvironment(environment, dataDirectory: dataDir) }
    func expressConfig() throws -> ExpressConfig {
        try ExpressConfig.fromEnvironment(environment, dataDirectory: dataDir)
    }
}
