import Foundation
import Logging
import Vapor

/// One structured log line per request — service, method, route template (never the raw path with its ids),
/// status, duration, request and trace ids — and the trace context made current for everything downstream.
package struct RequestLoggingMiddleware: AsyncMiddleware {
    let service: String

    package init(service: String) { self.service = service }

    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        let context = TraceContext(traceparent: request.headers.first(name: "traceparent"), requestID: request.id)
        request.logger[metadataKey: "trace_id"] = .string(context.traceID)
        request.logger[metadataKey: "service"] = .string(service)
        let response: Response
        do {
            response = try await TraceContext.$current.withValue(context) { try await next.respond(to: request) }
        } catch {
            log(request, status: 500, started: started, context: context)
            throw error
        }
        response.headers.replaceOrAdd(name: "traceparent", value: context.traceparent)
        log(request, status: Int(response.status.code), started: started, context: context)
        return response
    }

    func log(_ request: Request, status: Int, started: ContinuousClock.Instant, context: TraceContext) {
        let milliseconds = started.secondsSince * 1000
        request.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue), "route": .string(Self.template(request)),
                "status": .stringConvertible(status),
                "duration_ms": .string(String(format: "%.1f", milliseconds)), "request_id": .string(context.requestID),
                "trace_id": .string(context.traceID), "span_id": .string(context.spanID),
            ])
        HTTPMetrics.shared.record(
            service: service, method: request.method.rawValue, route: Self.template(request), status: status,
            seconds: milliseconds / 1000)
    }

    /// The matched route's template (`/v1/partners/:partnerId/…`), or "unmatched" — never a raw path.
    static func template(_ request: Request) -> String {
        guard let route = request.route else { return "unmatched" }
        return "/"
            + route.path.map { component -> String in
                switch component {
                case .constant(let value): value
                case .parameter(let name): ":\(name)"
                case .anything: "*"
                case .catchall: "**"
                }
            }.joined(separator: "/")
    }
}
