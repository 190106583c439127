import CoreMetrics
import Foundation
import Metrics
import Prometheus

/// Prometheus metrics through swift-metrics: one registry per process, every series labelled by service.
package enum ServiceMetrics {
    static let registry = PrometheusCollectorRegistry()
    static let bootstrap: Void = {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
            .seconds(5), .seconds(10),
        ]
        MetricsSystem.bootstrap(factory)
    }()

    /// Adds one to a counter.
    package static func count(_ name: String, _ dimensions: [(String, String)], by amount: Int = 1) {
        _ = bootstrap
        Counter(label: name, dimensions: dimensions).increment(by: amount)
    }

    /// Sets a gauge.
    package static func gauge(_ name: String, _ dimensions: [(String, String)], _ value: Double) {
        _ = bootstrap
        Gauge(label: name, dimensions: dimensions).record(value)
    }

    /// Records a duration.
    package static func time(_ name: String, _ dimensions: [(String, String)], seconds: Double) {
        _ = bootstrap
        Timer(label: name, dimensions: dimensions).recordNanoseconds(Int64(seconds * 1e9))
    }

    /// The Prometheus text exposition of every metric so far.
    package static func exposition() -> String {
        _ = bootstrap
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}

/// Request counts and latency by route template and status.
struct HTTPMetrics: Sendable {
    static let shared = HTTPMetrics()

    func record(service: String, method: String, route: String, status: Int, seconds: Double) {
        let dimensions = [("service", service), ("method", method), ("route", route), ("status", String(status))]
        ServiceMetrics.count("http_requests_total", dimensions)
        ServiceMetrics.time(
            "http_request_duration_seconds", [("service", service), ("method", method), ("route", route)],
            seconds: seconds)
    }
}

/// Outbound call latency and errors by target.
struct OutboundMetrics: Sendable {
    static let shared = OutboundMetrics()

    func record(target: String, operation: String, status: Int, seconds: Double) {
        let outcome = status == 0 ? "error" : status >= 500 ? "server_error" : status >= 400 ? "client_error" : "ok"
        ServiceMetrics.count(
            "outbound_requests_total", [("target", target), ("operation", operation), ("outcome", outcome)])
        ServiceMetrics.time(
            "outbound_request_duration_seconds", [("target", target), ("operation", operation)], seconds: seconds)
    }
}
