import Platform

extension PolicyApp {
    /// Policy as `selfsched` runs it: it stores nothing, and reads the trusted issuers' keys from their discovery
    /// documents.
    package static let definition = ServiceDefinition(name: "policy") { app, settings in
        let config = try PolicyConfig.fromEnvironment(settings.environment)
        try configure(app, config: config, keySource: DiscoveryJWKSSource(client: .shared))
        return BuiltService(endpoint: config.endpoint, database: nil, trustedIssuers: config.trustedIssuers) { _ in [] }
    }
}
