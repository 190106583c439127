import ArgumentParser
import Platform
import Station

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or update every service's database schema.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let config = try options.stationConfig()
        try await withApplication { app in
            try StationApp.configure(app, config: config, keySource: StaticJWKSSource([:]))
            try await StationApp.prepare(app, seedDemo: false)
        }
        say("station   migrated \(config.database)")
    }
}
