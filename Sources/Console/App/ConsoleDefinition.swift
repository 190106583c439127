import Platform

extension ConsoleApp {
    /// Console as `selfsched` runs it: its live collaborators, the follower of Station's event feed and the relay
    /// of the live events other instances stored (see Live/StationEventFollower.swift for how instances stay live).
    package static let definition = ServiceDefinition(name: "console") { app, settings in
        let config = try ConsoleConfig.fromEnvironment(settings.environment, dataDirectory: settings.dataDirectory)
        let analytics = AnalyticsPipeline(settings: config.analytics)
        let tracker = Tracker(app: .console, sink: analytics)
        try configure(app, config: config, dependencies: try .live(config, tracker: tracker))
        let service = try service(app)
        let relay = LiveEventRelay(
            hub: service.live, store: LiveEventStore(database: service.database), now: service.now
        )
        .repeatingWork(name: "console.live")
        let follower = try follower(app).repeatingWork(every: config.followEvery)
        return BuiltService(
            endpoint: config.endpoint, database: config.database, trustedIssuers: [config.staffIssuer],
            workers: (config.followEvents ? [relay, follower] : [relay]) + [
                analytics.worker(named: "console analytics")
            ]
        ) { _ in
            try await prepare(app)
            return []
        }
    }
}
