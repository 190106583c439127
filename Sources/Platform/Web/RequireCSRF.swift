import Vapor

/// Refuses a state-changing form (POST) without the session's CSRF token in its `csrf` field (403).
package struct RequireCSRF: AsyncMiddleware {
    package init() {}

    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.method == .POST {
            // A body that did not arrive with the head (over about 2 KB, such as a pasted key) is still streaming
            // when middleware runs, and the route collects it only after: collect it here to read the token.
            if request.body.data == nil {
                _ = try await request.body.collect(max: request.application.routes.defaultMaxBodySize.value).get()
            }
            let submitted = try? request.content.get(String.self, at: "csrf")
            guard request.webSession.isValidCSRF(submitted) else {
                throw Abort(.forbidden, reason: "This form expired. Go back, reload the page and try again.")
            }
        }
        return try await next.respond(to: request)
    }
}
