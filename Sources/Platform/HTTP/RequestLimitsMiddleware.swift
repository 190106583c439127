import Vapor

/// Bounds request bodies before anything reads them: streamed API routes never collect more than this.
package struct RequestLimitsMiddleware: AsyncMiddleware {
    package let maxBodyBytes: Int

    package init(maxBodyBytes: Int = 64 * 1024) { self.maxBodyBytes = maxBodyBytes }

    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let hasBody = request.method == .POST || request.method == .PUT || request.method == .PATCH
        if hasBody {
            if let length = request.headers.first(name: .contentLength).flatMap(Int.init) {
                if length > maxBodyBytes {
                    throw Problem(
                        status: .payloadTooLarge, slug: "payload-too-large", title: "Payload too large",
                        detail: "The request body is \(length) bytes; at most \(maxBodyBytes) are accepted.")
                }
            } else if request.headers.first(name: .transferEncoding) != nil {
                throw Problem(
                    status: .lengthRequired, slug: "length-required", title: "Length required",
                    detail: "Send the request body with a Content-Length header.")
            }
        }
        return try await next.respond(to: request)
    }
}
