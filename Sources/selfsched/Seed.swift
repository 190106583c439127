import ArgumentParser
import Foundation
import Platform
import Station

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load the demo data, and optionally N synthetic care requests.")

    @OptionGroup var options: CommonOptions

    @Option(help: "Also add this many synthetic care requests, with a patient per five requests.")
    var scale: Int?

    @Option(help: "How many synthetic partners share the --scale requests (the first gets a fifth).")
    var partners: Int = 100

    func validate() throws {
        if let scale, scale < 1 { throw ValidationError("--scale must be a positive number of care requests.") }
        if partners < 1 { throw ValidationError("--partners must be at least 1.") }
    }

    func run() async throws {
        guard options.environment["SELFSCHED_ENV"] != "production" else {
            throw ConfigurationError(
                "The demo data has a public password and is never loaded with SELFSCHED_ENV=production.")
        }
        let config = try options.stationConfig()
        try await ServiceHost.withApplication { app in
            try StationApp.configure(app, config: config, keySource: StaticJWKSSource([:]))
            let seeded = try await StationApp.prepare(app, seedDemo: true)
            say(
                seeded
                    ? "station   loaded the demo data into \(config.database)" : "station   demo data already present")
            if let scale {
                let started = Date()
                let summary = try await StationApp.seedScale(app, careRequests: scale, partners: partners) { line in
                    say("station   \(line)")
                }
                say(
                    String(
                        format: "station   added %d partners, %d patients, %d care requests in %.1f s",
                        summary.partners, summary.patients, summary.careRequests, Date().timeIntervalSince(started)))
            }
        }
    }
}
