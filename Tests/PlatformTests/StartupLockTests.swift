import Fluent
import Foundation
import Platform
import SQLKit
import TestSupport
import Testing
import Vapor

/// The lock every service's instances take to migrate and seed at start (``Application/withStartupLock``). It
/// exists on PostgreSQL only: run with `--pg`.
@Suite("A service's startup lock", .timeLimit(.minutes(10)))
struct StartupLockTests {
    /// The key a service named `name` locks, written out here as an operator would, not through the helper.
    static func key(_ name: String) -> SQLQueryString {
        "hashtextextended(\(bind: "selfsched.startup." + name + "/") || current_schema(), 0)"
    }

    @Test("a start that finds the lock held gives up at its deadline, naming the lock and who holds it")
    func heldLockFailsTheStart() async throws {
        guard TestDatabase.usesPostgres else { return }
        try await TestDatabase.withApplication { app, location in
            try app.useDatabase(location)
            try await app.db.withConnection { holder in
                try await holder.sql.raw("SELECT pg_advisory_lock(\(Self.key("demo")))").run()
                let error = await #expect(throws: StartupLockTimeout.self) {
                    try await app.withStartupLock("demo", patience: .milliseconds(500)) {}
                }
                #expect(error?.lock == "demo")
                #expect(error?.holder?.hasPrefix("session ") == true)
                #expect(error?.description.contains("waiting for the startup lock \"demo\", held by session ") == true)
                // Another service's lock is another key.
                #expect(try await app.withStartupLock("other", patience: .milliseconds(500)) { 1 } == 1)
                try await holder.sql.raw("SELECT pg_advisory_unlock(\(Self.key("demo")))").run()
            }
            #expect(try await app.withStartupLock("demo", patience: .seconds(5)) { 2 } == 2)
        }
    }

    @Test("a second start while the first holds the lock waits for it, so the seed is made once")
    func oneStartAtATime() async throws {
        guard TestDatabase.usesPostgres else { return }
        try await TestDatabase.withApplication { app, location in
            let other = try await Application.make(.testing)
            do {
                try app.useDatabase(location)
                try other.useDatabase(location)
                try await app.db.sql.raw("CREATE TABLE seeds (id INTEGER NOT NULL)").run()
                let inside = AsyncStream<Void>.makeStream()
                @Sendable func start(_ instance: Application, holding: Duration) async throws -> Bool {
                    try await instance.withStartupLock("demo") {
                        let rows = try await instance.db.sql.raw("SELECT id FROM seeds").all()
                        guard rows.isEmpty else { return false }
                        inside.continuation.yield()
                        // Time for the other start to read the empty table too, were it not kept out by the lock.
                        try await Task.sleep(for: holding)
                        try await instance.db.sql.raw("INSERT INTO seeds (id) VALUES (1)").run()
                        return true
                    }
                }
                let first = Task { try await start(app, holding: .milliseconds(500)) }
                for await _ in inside.stream { break }
                let second = try await start(other, holding: .zero)
                #expect(try await [first.value, second] == [true, false])
                #expect(try await app.db.sql.raw("SELECT id FROM seeds").all().count == 1)
            } catch {
                try? await other.asyncShutdown()
                throw error
            }
            try await other.asyncShutdown()
        }
    }

    @Test("a start whose migrations fail leaves the lock free for the next")
    func failedStartReleases() async throws {
        guard TestDatabase.usesPostgres else { return }
        struct Failed: Error {}
        try await TestDatabase.withApplication { app, location in
            try app.useDatabase(location)
            await #expect(throws: Failed.self) {
                try await app.withStartupLock("demo") { throw Failed() }
            }
            try await app.db.withConnection { connection in
                let row = try await connection.sql.raw("SELECT pg_try_advisory_lock(\(Self.key("demo"))) AS locked")
                    .first()
                #expect(try row?.decode(column: "locked", as: Bool.self) == true)
                try await connection.sql.raw("SELECT pg_advisory_unlock(\(Self.key("demo")))").run()
            }
        }
    }

    @Test("on SQLite a start just migrates: one file is served by one instance")
    func sqliteRunsTheBody() async throws {
        guard !TestDatabase.usesPostgres else { return }
        try await TestDatabase.withApplication { app, location in
            try app.useDatabase(location)
            #expect(try await app.withStartupLock("demo", patience: .zero) { 3 } == 3)
        }
    }
}
