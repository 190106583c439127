import Platform

extension OSSApp {
    /// OSS as `selfsched` runs it, with its live collaborators, the outbox worker that delivers callbacks and the
    /// analytics pipeline's worker.
    package static let definition = ServiceDefinition(name: "oss") { app, settings in
        let config = try OSSConfig.fromEnvironment(settings.environment, dataDirectory: settings.dataDirectory)
        let analytics = AnalyticsPipeline(settings: config.analytics)
        try configureLive(app, config: config, analytics: analytics)
        let outbox = config.runOutboxWorker ? [try app.outboxWorker().repeatingWork()] : []
        return BuiltService(
            endpoint: config.endpoint, database: config.database,
            workers: outbox + [analytics.worker(named: "oss analytics")]
        ) { _ in
            try await prepare(app)
            return []
        }
    }
}
