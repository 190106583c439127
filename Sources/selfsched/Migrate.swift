import ArgumentParser
import Express
import Identity
import Platform
import Station

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or update every service's database schema.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let station = try options.stationConfig()
        try await withApplication { app in
            try StationApp.configure(app, config: station, keySource: StaticJWKSSource([:]))
            try await StationApp.prepare(app, seedDemo: false)
        }
        say("station   migrated \(station.database)")
        let identity = try options.identityConfig()
        try await withApplication { app in
            try IdentityApp.configure(app, config: identity, hook: RefusingHook())
            try await IdentityApp.prepare(app, seedDemo: false)
        }
        say("identity  migrated \(identity.database)")
        let express = try options.expressConfig()
        try await withApplication { app in
            try ExpressApp.configure(app, config: express, dependencies: try .live(express))
            try await ExpressApp.prepare(app, seedDemo: false)
        }
        say("express   migrated \(express.database)")
    }
}
