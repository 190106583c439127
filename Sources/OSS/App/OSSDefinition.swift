import Platform

extension OSSApp {
    /// OSS as `selfsched` runs it, with its live collaborators and the outbox worker that delivers callbacks.
    package static let definition = ServiceDefinition(name: "oss") { app, settings in
        let config = try OSSConfig.fromEnvironment(settings.environment, dataDirectory: settings.dataDirectory)
        try configureLive(app, config: config)
        return BuiltService(
            endpoint: config.endpoint, database: config.database,
            workers: config.runOutboxWorker ? [try app.outboxWorker().repeatingWork()] : []
        ) { _ in
            try await prepare(app)
            return []
        }
    }
}
