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

    @Test(
        "on SQLite, /metrics shows how many write transactions passed the write gate and how long they held it and waited; on PostgreSQL, whose gate is open, nothing"
    )
    func writeGateUse() async throws {
        try await TestDatabase.withApplication { app, location in
            try app.useDatabase(location)
            app.useObservability(service: "gatetest")
            let database = app.serviceDatabase
            // One transaction holds the gate while a second waits for it.
            let (entered, enter) = AsyncStream<Void>.makeStream()
            let (release, releaser) = AsyncStream<Void>.makeStream()
            let first = Task {
                try await database.write { db in
                    try await db.sql.raw("SELECT 1").run()
                    enter.yield()
                    for await _ in release { break }
                }
            }
            for await _ in entered { break }
            let second = Task { try await database.write { db in try await db.sql.raw("SELECT 1").run() } }
            if location.isSQLite {
                for _ in 0..<500 where await database.gate.waiting == 0 { try await Task.sleep(for: .milliseconds(10)) }
                #expect(await database.gate.waiting == 1)
            }
            try await Task.sleep(for: .milliseconds(20))
            releaser.yield()
            try await first.value
            try await second.value
            let metrics = try await app.testing().sendRequest(.GET, "/metrics").text
            guard location.isSQLite else {
                #expect(!metrics.contains("db_write_gate_"), "PostgreSQL's gate serializes nothing")
                return
            }
            let use = try #require(await app.existingWriteGate?.use)
            #expect(use.transactions == 2)
            #expect(use.held >= 0.02, "the first held the gate while the second waited")
            #expect(use.waited >= 0.02, "the second waited for the first")
            #expect(metrics.contains(#"db_write_gate_transactions_total{service="gatetest"} 2"#))
            #expect(metrics.contains(#"db_write_gate_held_seconds_total{service="gatetest"}"#))
            #expect(metrics.contains(#"db_write_gate_waited_seconds_total{service="gatetest"}"#))
        }
    }
}
