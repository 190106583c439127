import Platform

extension StationApp {
    /// Station as `selfsched` runs it: the trusted issuers' keys from their discovery documents.
    package static let definition = ServiceDefinition(name: "station") { app, settings in
        let config = try StationConfig.fromEnvironment(settings.environment, dataDirectory: settings.dataDirectory)
        try configure(app, config: config, keySource: DiscoveryJWKSSource(client: .shared))
        return BuiltService(
            endpoint: config.endpoint, database: config.database, trustedIssuers: config.trustedIssuers,
            workers: config.runOutboxWorker ? [try app.outboxWorker().repeatingWork()] : []
        ) { preparation in
            guard try await prepare(app, seedDemo: preparation.seedsDemo) else { return [] }
            return ["station   loaded the demo data into \(config.database)"]
        }
    }
}
