import Foundation
import OpenAPIVapor
import Platform
import PolicyAPI
import Vapor

/// Policy's settings: it stores nothing, so only where it listens and whose tokens it trusts.
package struct PolicyConfig: Sendable {
    package var endpoint: ServiceEndpoint
    package var trustedIssuers: Set<String>
    package var audience: String

    package init(
        endpoint: ServiceEndpoint = ServiceEndpoint(port: 8084),
        trustedIssuers: Set<String> = [
            "http://localhost:8083/express", "http://localhost:8083/patients",
            "http://localhost:8083/staff",
        ],
        audience: String = "policy"
    ) {
        self.endpoint = endpoint
        self.trustedIssuers = trustedIssuers
        self.audience = audience
    }

    /// Reads `POLICY_PORT`, `POLICY_HOST`, `POLICY_TRUSTED_ISSUERS` (by default every tenant at
    /// `IDENTITY_PUBLIC_URL`) and `POLICY_AUDIENCE` over the defaults.
    package static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws
        -> PolicyConfig
    {
        var config = PolicyConfig()
        try config.endpoint.apply(env, prefix: "POLICY")
        config.trustedIssuers = IdentityIssuers.trusted(env, override: "POLICY_TRUSTED_ISSUERS")
        if let audience = env["POLICY_AUDIENCE"] { config.audience = audience }
        return config
    }
}

/// Policy's one wiring point, shared by `selfsched` and the tests.
package enum PolicyApp {
    package static func configure(_ app: Application, config: PolicyConfig, keySource: any JWKSSource) throws {
        app.useStandardMiddleware(service: "policy", pages: false, hasDatabase: false)
        app.serveOpenAPIDocument("openapi.yaml", yaml: try PolicyAPIDocument.yaml())
        let verifier = TokenVerifier(
            trustedIssuers: config.trustedIssuers, audience: config.audience, keySource: keySource)
        var logger = Logger(label: "policy.decisions")
        logger.logLevel = app.logger.logLevel
        try app.registerOpenAPI(
            bearer: verifier, scopes: PolicyAPIHandler.scopes, PolicyAPIHandler(logger: logger).registerHandlers)
    }
}
