import Vapor

/// Refuses a state-changing form (POST) without the session's CSRF token in its `csrf` field (403).
package struct RequireCSRF: AsyncMiddleware {
    package init() {}

    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.method == .POST {
            let submitted = try? request.content.get(String.self, at: "csrf")
            guard request.webSession.isValidCSRF(submitted) else {
                throw Abort(.forbidden, reason: "This form expired. Go back, reload the page and try again.")
            }
        }
        return try await next.respond(to: request)
    }
}
