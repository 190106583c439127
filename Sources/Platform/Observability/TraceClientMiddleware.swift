import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Passes the current request's trace (a child span of it) and request id to a downstream service.
package struct TraceClientMiddleware: ClientMiddleware {
    package init() {}

    package func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    )
        async throws -> (HTTPResponse, HTTPBody?)
    {
        guard let context = TraceContext.current else { return try await next(request, body, baseURL) }
        var request = request
        if let traceparent = HTTPField.Name("traceparent") {
            request.headerFields[traceparent] = context.childTraceparent()
        }
        if let requestID = HTTPField.Name("X-Request-Id") { request.headerFields[requestID] = context.requestID }
        let started = ContinuousClock.now
        do {
            let result = try await next(request, body, baseURL)
            OutboundMetrics.shared.record(
                target: baseURL.host ?? "unknown", operation: operationID, status: result.0.status.code,
                seconds: started.secondsSince)
            return result
        } catch {
            OutboundMetrics.shared.record(
                target: baseURL.host ?? "unknown", operation: operationID, status: 0, seconds: started.secondsSince)
            throw error
        }
    }
}

extension ContinuousClock.Instant {
    var secondsSince: Double {
        let elapsed = ContinuousClock.now - self
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
