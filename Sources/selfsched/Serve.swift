import ArgumentParser
import Platform
import Policy
import Station

import AsyncHTTPClient

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run every service (or some) in one process, with demo data on first start.")

    @OptionGroup var options: CommonOptions

    @Option(help: "Run only these services, comma-separated (station, policy).")
    var only: String?

    @Flag(help: "Do not load the demo data into empty databases.")
    var noDemo = false

    func run() async throws {
        let selected = Set((only ?? "station,policy").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        let known: Set<String> = ["station", "policy"]
        guard selected.isSubset(of: known), !selected.isEmpty else {
            throw ValidationError("Unknown service in --only: \(selected.subtracting(known).sorted().joined(separator: ", ")). Known: \(known.sorted().joined(separator: ", ")).")
        }
        var services: [HostedService] = []
        if selected.contains("station") {
            let config = try options.stationConfig()
            let app = try await ServiceHost.makeApplication()
            try StationApp.configure(app, config: config, keySource: DiscoveryJWKSSource(client: .shared))
            if try await StationApp.prepare(app, seedDemo: !noDemo) {
                say("station   loaded the demo data into \(config.database)")
            }
            services.append(HostedService(name: "station", endpoint: config.endpoint, app: app))
        }
        if selected.contains("policy") {
            let config = try PolicyConfig.fromEnvironment()
            let app = try await ServiceHost.makeApplication()
            try PolicyApp.configure(app, config: config, keySource: DiscoveryJWKSSource(client: .shared))
            services.append(HostedService(name: "policy", endpoint: config.endpoint, app: app))
        }
        say("SelfScheduling is starting; press Ctrl-C to stop.")
        try await ServiceHost.run(services) { say($0) }
    }
}
