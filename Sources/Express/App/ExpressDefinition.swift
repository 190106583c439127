import Platform

extension ExpressApp {
    /// Express as `selfsched` runs it, with its live collaborators (``ExpressDependencies/live(_:)``).
    package static let definition = ServiceDefinition(name: "express") { app, settings in
        let config = try ExpressConfig.fromEnvironment(settings.environment, dataDirectory: settings.dataDirectory)
        let analytics = AnalyticsPipeline(settings: config.analytics)
        try configure(app, config: config, dependencies: try .live(config, analytics: analytics))
        let relay = try liveRelay(app)
        let outbox = config.runOutboxWorker ? [try app.outboxWorker().repeatingWork()] : []
        let digests = try service(app).digestWork()
        return BuiltService(
            endpoint: config.endpoint, database: config.database,
            workers: [relay] + outbox + [digests, analytics.worker(named: "express analytics")]
        ) { preparation in
            guard try await prepare(app, seedDemo: preparation.seedsDemo) else { return [] }
            return ["express   loaded the demo partners, users and flags into \(config.database)"]
        }
    }
}
