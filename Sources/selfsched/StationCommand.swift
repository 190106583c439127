import ArgumentParser
import Foundation
import Platform
import Station

struct StationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "station", abstract: "Operate Station, the system of record.",
        subcommands: [SetStatus.self, CheckCapacity.self])

    struct SetStatus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-status",
            abstract: "Move a care request to another status, as a dispatcher would.")

        @OptionGroup var options: CommonOptions

        @Argument(help: "The care request's id.") var careRequest: String
        @Argument(help: "The new status: requested, accepted, scheduled, on_route, on_scene, complete or archived.")
        var status: String
        @Option(help: "Who makes the change.") var actor: String = "dispatcher@cli"
        @Option(help: "Why (required to archive).") var reason: String?
        @Option(help: "ETA range start, ISO 8601 (required to schedule).") var etaStart: String?
        @Option(help: "ETA range end, ISO 8601.") var etaEnd: String?

        func run() async throws {
            guard let id = UUID(uuidString: careRequest) else {
                throw ValidationError("\(careRequest) is not a care request id.")
            }
            var eta: DateInterval?
            if let etaStart {
                let format = ISO8601DateFormatter()
                guard let start = format.date(from: etaStart), let end = etaEnd.flatMap(format.date(from:)), end > start
                else {
                    throw ValidationError("--eta-start and --eta-end must be ISO 8601 times, the end after the start.")
                }
                eta = DateInterval(start: start, end: end)
            }
            let config = try options.stationConfig()
            let result = try await ServiceHost.withApplication { app in
                try StationApp.configure(app, config: config, keySource: StaticJWKSSource([:]))
                try await StationApp.prepare(app, seedDemo: false)
                return try await StationApp.setStatus(
                    app, careRequest: id, to: status, actor: actor, reason: reason, eta: eta)
            }
            say(result)
        }
    }

    struct CheckCapacity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check-capacity",
            abstract:
                "Check that no time window is over capacity, and count care requests and events.",
            discussion: """
                Prints one line per window over capacity, then a summary line:
                station: W windows booked, N over capacity; C care requests; E events
                Exits 1 when a window is over capacity, or when Station's schema is missing or behind this version.
                It only reads: it never migrates or seeds.
                """)

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let config = try options.stationConfig()
            let check = try await ServiceHost.withApplication { app in
                try StationApp.configure(app, config: config, keySource: StaticJWKSSource([:]))
                return try await StationApp.check(app)
            }
            check.lines.forEach(say)
            if !check.overCapacity.isEmpty { throw ExitCode(1) }
        }
    }
}
