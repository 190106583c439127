import Vapor

/// What every service is built from: the environment (with the command line laid over it) and the data directory.
package struct ServiceSettings: Sendable {
    package var environment: [String: String]
    package var dataDirectory: String

    package init(environment: [String: String], dataDirectory: String) {
        self.environment = environment
        self.dataDirectory = dataDirectory
    }

    /// `SELFSCHED_ENV=production`: no demo data, and secrets from the environment only.
    package var production: Bool { environment["SELFSCHED_ENV"] == "production" }
}

/// Why a built service is prepared.
package enum Preparation: Sendable, Equatable {
    /// `selfsched migrate`: the schema only.
    case migrate
    /// `selfsched serve`: the schema, then, when `seedDemo`, the demo data into an empty database.
    case serve(seedDemo: Bool)

    package var seedsDemo: Bool { self == .serve(seedDemo: true) }
}

/// A service wired into its application with its live dependencies, not yet listening.
package struct BuiltService: Sendable {
    package var endpoint: ServiceEndpoint
    /// Where it keeps its data; nil for a service that stores nothing.
    package var database: DatabaseLocation?
    /// The token issuers it trusts, checked against their discovery documents once every service listens.
    package var trustedIssuers: Set<String>
    /// What it repeats in the background while it is served (never in one-shot commands).
    package var workers: [RepeatingWork]
    /// Migrates its database and does what `Preparation` asks; returns lines for the operator. Throws when the
    /// data is unfit to serve.
    package var prepare: @Sendable (Preparation) async throws -> [String]

    package init(
        endpoint: ServiceEndpoint, database: DatabaseLocation?, trustedIssuers: Set<String> = [],
        workers: [RepeatingWork] = [], prepare: @escaping @Sendable (Preparation) async throws -> [String]
    ) {
        self.endpoint = endpoint
        self.database = database
        self.trustedIssuers = trustedIssuers
        self.workers = workers
        self.prepare = prepare
    }
}

/// One service as `selfsched` knows it: its name and how to wire it, live, into an application. `serve`,
/// `migrate` and `--only` all read the same list of these.
package struct ServiceDefinition: Sendable {
    package var name: String
    package var build: @Sendable (_ app: Application, _ settings: ServiceSettings) throws -> BuiltService

    package init(
        name: String,
        build: @escaping @Sendable (_ app: Application, _ settings: ServiceSettings) throws -> BuiltService
    ) {
        self.name = name
        self.build = build
    }
}

extension Array where Element == ServiceDefinition {
    package var names: [String] { map(\.name) }

    /// The definitions whose names are in `names`, in this list's order.
    package func named(_ names: Set<String>) -> [ServiceDefinition] { filter { names.contains($0.name) } }

    /// Migrates the database of every service here that keeps one; returns each, in order.
    package func migrate(
        _ settings: ServiceSettings,
        makeApplication: () async throws -> Application = { try await ServiceHost.makeApplication() }
    )
        async throws -> [(name: String, database: DatabaseLocation)]
    {
        var migrated: [(name: String, database: DatabaseLocation)] = []
        for definition in self {
            let database = try await ServiceHost.withApplication(makeApplication) { app -> DatabaseLocation? in
                let built = try definition.build(app, settings)
                guard let database = built.database else { return nil }
                _ = try await built.prepare(.migrate)
                return database
            }
            if let database { migrated.append((definition.name, database)) }
        }
        return migrated
    }

    /// Builds and prepares every service here, starts them and serves until SIGINT or SIGTERM.
    package func serve(_ settings: ServiceSettings, seedDemo: Bool, say: @escaping @Sendable (String) -> Void)
        async throws
    {
        var hosted: [HostedService] = []
        var workers: [RepeatingWork] = []
        var issuers = Set<String>()
        for definition in self {
            let app = try await ServiceHost.makeApplication()
            do {
                let built = try definition.build(app, settings)
                try await built.prepare(.serve(seedDemo: seedDemo)).forEach(say)
                hosted.append(HostedService(name: definition.name, endpoint: built.endpoint, app: app))
                workers += built.workers
                issuers.formUnion(built.trustedIssuers)
            } catch {
                try? await app.asyncShutdown()
                await ServiceHost.shutdown(hosted)
                throw error
            }
        }
        say("SelfScheduling is starting; press Ctrl-C to stop.")
        try await ServiceHost.run(
            hosted, workers: workers, announce: say,
            afterStart: { try await ServiceHost.checkIssuers(issuers, warn: say) })
    }
}

extension ServiceDefinition {
    /// Runs `body` on this service built live with its database migrated, its workers not running: what a one-shot
    /// command (`selfsched outbox`, `selfsched experiments`) acts on.
    package func withMigrated<T: Sendable>(_ settings: ServiceSettings, _ body: (Application) async throws -> T)
        async throws -> T
    {
        try await ServiceHost.withApplication { app in
            _ = try await build(app, settings).prepare(.migrate)
            return try await body(app)
        }
    }
}
