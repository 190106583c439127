import AsyncHTTPClient
import Foundation
import Vapor

/// W3C Trace Context for one request: the trace it belongs to and its own span, plus the request id.
/// Accepted from `traceparent` / `X-Request-Id` when a caller sends them, created otherwise, and passed on
/// to every downstream call, so one user action can be followed through every service's log lines.
package struct TraceContext: Sendable, Equatable {
    package var traceID: String
    package var spanID: String
    package var requestID: String

    /// The context of the request being handled.
    @TaskLocal package static var current: TraceContext?

    package init(traceID: String, spanID: String, requestID: String) {
        self.traceID = traceID
        self.spanID = spanID
        self.requestID = requestID
    }

    /// Continues the caller's trace (`traceparent: 00-<trace>-<parent span>-<flags>`) with a new span, or starts one.
    package init(traceparent: String?, requestID: String) {
        if let header = traceparent, let parsed = Self.parse(header) {
            self.init(traceID: parsed, spanID: Self.random(bytes: 8), requestID: requestID)
        } else {
            self.init(traceID: Self.random(bytes: 16), spanID: Self.random(bytes: 8), requestID: requestID)
        }
    }

    package var traceparent: String { "00-\(traceID)-\(spanID)-01" }

    /// The header for a downstream call: same trace, a new child span.
    package func childTraceparent() -> String { "00-\(traceID)-\(Self.random(bytes: 8))-01" }

    static func parse(_ header: String) -> String? {
        let parts = header.trimmingCharacters(in: .whitespaces).split(separator: "-")
        guard parts.count == 4, parts[0].count == 2, parts[1].count == 32, parts[2].count == 16,
            parts[1].allSatisfy(\.isHexDigit), parts[2].allSatisfy(\.isHexDigit),
            parts[1] != String(repeating: "0", count: 32)
        else { return nil }
        return String(parts[1]).lowercased()
    }

    static func random(bytes: Int) -> String {
        Secrets.hex(Secrets.randomBytes(bytes))
    }
}

extension TraceContext {
    /// Adds this trace (a child span) and the request id to a hand-made AsyncHTTPClient request.
    package func stamp(_ request: inout HTTPClientRequest) {
        request.headers.replaceOrAdd(name: "traceparent", value: childTraceparent())
        request.headers.replaceOrAdd(name: "X-Request-Id", value: requestID)
    }
}
