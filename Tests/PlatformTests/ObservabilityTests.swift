import Foundation
@testable import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting

@Suite("Observability")
struct ObservabilityTests {
    @Test("a caller's trace is continued with a new span; malformed or all-zero trace ids start a new trace")
    func traceContext() {
        let incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let continued = TraceContext(traceparent: incoming, requestID: "r1")
        #expect(continued.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(continued.spanID != "00f067aa0ba902b7")
        #expect(continued.childTraceparent().hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-"))
        for bad in ["garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "00-xyz-00f067aa0ba902b7-01"] {
            #expect(TraceContext(traceparent: bad, requestID: "r").traceID.count == 32)
            #expect(TraceContext(traceparent: bad, requestID: "r").traceID != "00000000000000000000000000000000")
        }
    }

    @Test("readiness checks the database and dependencies; metrics count requests by route template; traces come back")
    func endpoints() async throws {
        let app = try await Application.make(.testing)
        let database = try await TestDatabase.make(on: app)
        do {
            try app.useDatabase(database.location)
            app.useObservability(service: "test", dependencies: ["nowhere": "http://127.0.0.1:9"])
            app.get("things", ":id") { _ in "ok" }
            let ready = try await app.testing().sendRequest(.GET, "/readyz")
            #expect(ready.status == .serviceUnavailable)
            #expect(String(buffer: ready.body).contains("\"database\":\"ok\"") && String(buffer: ready.body).contains("\"nowhere\":\"unreachable\""))

            var headers = HTTPHeaders()
            headers.add(name: "traceparent", value: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
            let thing = try await app.testing().sendRequest(.GET, "/things/secret-id-42", headers: headers)
            #expect(thing.headers.first(name: "traceparent")?.contains("4bf92f3577b34da6a3ce929d0e0e4736") == true)
            let metrics = String(buffer: try await app.testing().sendRequest(.GET, "/metrics").body)
            #expect(metrics.contains(#"http_requests_total{service="test",method="GET",route="/things/:id",status="200"}"#))
            #expect(!metrics.contains("secret-id-42"))
        } catch {
            await database.drop()
            try await app.asyncShutdown()
            throw error
        }
        await database.drop()
        try await app.asyncShutdown()
    }
}
