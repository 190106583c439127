import AsyncHTTPClient
import Fluent
import Foundation
import SQLKit
import Vapor

extension Application {
    /// Request logging with trace context, `/healthz` (alive), `/readyz` (database and the services this one
    /// depends on reachable) and `/metrics` (Prometheus) for one service.
    package func useObservability(service: String, dependencies: [String: String] = [:], hasDatabase: Bool = true) {
        middleware.use(RequestLoggingMiddleware(service: service), at: .beginning)
        get("healthz") { _ in ["status": "ok"] }
        get("readyz") { req async -> Response in
            var checks: [String: String] = [:]
            if hasDatabase {
                do {
                    try await req.db.sql.raw("SELECT 1").run()
                    checks["database"] = "ok"
                } catch {
                    checks["database"] = "unreachable"
                }
            }
            for (name, url) in dependencies.sorted(by: { $0.key < $1.key }) {
                var request = HTTPClientRequest(url: url + "/healthz")
                request.method = .GET
                let ok = (try? await HTTPClient.shared.execute(request, timeout: .seconds(2)))?.status == .ok
                checks[name] = ok ? "ok" : "unreachable"
            }
            let ready = checks.values.allSatisfy { $0 == "ok" }
            let body =
                (try? JSONSerialization.data(
                    withJSONObject: ["status": ready ? "ready" : "not_ready", "checks": checks],
                    options: [.sortedKeys])) ?? Data()
            var headers = HTTPHeaders()
            headers.contentType = .json
            return Response(status: ready ? .ok : .serviceUnavailable, headers: headers, body: .init(data: body))
        }
        let pool = databasePoolUsage
        get("metrics") { req async -> Response in
            if let pool {
                ServiceMetrics.gauge("db_pool_connections_in_use", [("service", service)], Double(pool.inUse))
                ServiceMetrics.gauge("db_pool_connections_capacity", [("service", service)], Double(pool.capacity))
            }
            // SQLite's one writer at a time: how long write transactions held the gate and waited for it, in all.
            if let use = await req.application.existingWriteGate?.use {
                let labels = [("service", service)]
                ServiceMetrics.gauge("db_write_gate_transactions_total", labels, Double(use.transactions))
                ServiceMetrics.gauge("db_write_gate_held_seconds_total", labels, use.held)
                ServiceMetrics.gauge("db_write_gate_waited_seconds_total", labels, use.waited)
            }
            var headers = HTTPHeaders()
            headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4"])
            return Response(status: .ok, headers: headers, body: .init(string: ServiceMetrics.exposition()))
        }
    }
}
