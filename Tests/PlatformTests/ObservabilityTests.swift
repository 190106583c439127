import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Platform

@Suite("Observability")
struct ObservabilityTests {
    @Test("a caller's trace is continued with a new span; malformed or all-zero trace ids start a new trace")
    func traceContext() {
        let incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let continued = TraceContext(traceparent: incoming, requestID: "r1")
        #expect(continued.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(continued.spanID != "00f067aa0ba902b7")
        #expect(continued.childTraceparent().hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-"))
        for bad in ["garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "00-xyz-00f067aa0ba902b7-01"]
        {
            #expect(TraceContext(traceparent: bad, requestID: "r").traceID.count == 32)
            #expect(TraceContext(traceparent: bad, requestID: "r").traceID != "00000000000000000000000000000000")
        }
    }

    @Test("readiness checks the database and dependencies; metrics count requests by route template; traces come back")
    func endpoints() async throws {
        try await TestDatabase.withApplication { app, location in
            try app.useDatabase(location)
            app.useObservability(service: "test", dependencies: ["nowhere": "http://127.0.0.1:9"])
            app.get("things", ":id") { _ in "ok" }
            let ready = try await app.testing().sendRequest(.GET, "/readyz")
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.text.contains("\"database\":\"ok\"") && ready.text.contains("\"nowhere\":\"unreachable\""))

            var headers = HTTPHeaders()
            headers.add(name: "traceparent", value: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
            let thing = try await app.testing().sendRequest(.GET, "/things/secret-id-42", headers: headers)
            #expect(thing.headers.first(name: "traceparent")?.contains("4bf92f3577b34da6a3ce929d0e0e4736") == true)
            let metrics = try await app.testing().sendRequest(.GET, "/metrics").text
            #expect(
                metrics.contains(#"http_requests_total{service="test",method="GET",route="/things/:id",status="200"}"#))
            #expect(!metrics.contains("secret-id-42"))
        }
    }

    @Test("the database pool's use is counted while a query or transaction holds a connection, and shown in /metrics")
    func poolUsage() async throws {
        try await TestDatabase.withApplication { app, location in
            try app.useDatabase(location)
            app.useObservability(service: "pooltest")
            let pool = try #require(app.databasePoolUsage)
            #expect(pool.capacity >= 1)
            #expect(pool.inUse == 0)

            // A transaction holds its connection until it ends; count it while it waits for us.
            let (entered, enter) = AsyncStream<Void>.makeStream()
            let (release, releaser) = AsyncStream<Void>.makeStream()
            let transaction = Task {
                try await app.db.transaction { db in
                    try await db.sql.raw("SELECT 1").run()
                    enter.yield()
                    for await _ in release { break }
                }
            }
            for await _ in entered { break }
            #expect(pool.inUse == 1)
            let during = try await app.testing().sendRequest(.GET, "/metrics").text
            #expect(during.contains(#"db_pool_connections_in_use{service="pooltest"} 1"#))
            #expect(during.contains(#"db_pool_connections_capacity{service="pooltest"} \#(pool.capacity)"#))
            releaser.yield()
            try await transaction.value
            #expect(pool.inUse == 0)
            let after = try await app.testing().sendRequest(.GET, "/metrics").text
            #expect(after.contains(#"db_pool_connections_in_use{service="pooltest"} 0"#))
        }
    }
}
