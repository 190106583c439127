import Vapor

extension Application {
    /// The middleware every service runs, in one order: request logging with trace context (outermost), errors
    /// as problem+json (or a small page for a browser), a request-size limit and, for a service that renders
    /// pages, the browser security headers; with `/healthz`, `/readyz` and `/metrics` (see ``useObservability``).
    package func useStandardMiddleware(
        service: String, maxBodyBytes: Int = 64 * 1024, pages: Bool,
        dependencies: [String: String] = [:], hasDatabase: Bool = true
    ) {
        middleware = Middlewares()
        middleware.use(ProblemMiddleware())
        middleware.use(RequestLimitsMiddleware(maxBodyBytes: maxBodyBytes))
        if pages { middleware.use(SecurityHeadersMiddleware()) }
        useObservability(service: service, dependencies: dependencies, hasDatabase: hasDatabase)
    }
}
