import ArgumentParser
import Platform
import Station
import Foundation

/// Options every command shares: where data lives and how each service is reached.
struct CommonOptions: ParsableArguments {
    @Option(help: "Directory for SQLite files, keys and logs (env SELFSCHED_DATA_DIR).")
    var dataDir: String = ProcessInfo.processInfo.environment["SELFSCHED_DATA_DIR"] ?? "./.selfsched"

    @Option(help: "Station's database URL: postgres://… or an SQLite path (env STATION_DATABASE_URL).")
    var stationDatabaseURL: String?

    @Option(help: "Station's port (env STATION_PORT; default 8082).")
    var stationPort: Int?

    @Option(help: "Address every service listens on (env SELFSCHED_HOST; default 127.0.0.1).")
    var host: String?

    func stationConfig() throws -> StationConfig {
        var env = ProcessInfo.processInfo.environment
        if let stationDatabaseURL { env["STATION_DATABASE_URL"] = stationDatabaseURL }
        if let stationPort { env["STATION_PORT"] = String(stationPort) }
        if let host = host ?? env["SELFSCHED_HOST"] { env["STATION_HOST"] = env["STATION_HOST"] ?? host }
        return try StationConfig.fromEnvironment(env, dataDirectory: dataDir)
    }
}
