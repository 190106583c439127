import Fluent
import FluentSQLiteDriver
import Foundation
import Platform
import SQLKit
import TestSupport
import Testing
import Vapor

@Suite("Writes to an SQLite file another process is writing", .timeLimit(.minutes(10)))
struct ServiceDatabaseBusyTests {
    /// Two applications on one SQLite file stand for `serve` and a `selfsched` command beside it: each has its own
    /// connections and write gate, so only SQLite's file lock keeps them apart.
    @Test("a write waits for the other's transaction instead of failing with 'database is locked'")
    func waitsForTheOtherWriter() async throws {
        guard !TestDatabase.usesPostgres else { return }
        try await TestDatabase.withApplication { serve, location in
            try await Self.startWithMarks(serve, on: location)
            let command = try await Application.make(.testing)
            do {
                try command.useServiceDatabase(location, migrations: [])
                let holding = AsyncStream<Void>.makeStream()
                // `serve` holds the file's write lock for a while inside its transaction.
                let held = Task {
                    try await serve.serviceDatabase.write { db in
                        try await db.sql.raw("INSERT INTO marks (who) VALUES ('serve')").run()
                        holding.continuation.yield()
                        try await Task.sleep(for: .milliseconds(300))
                    }
                }
                for await _ in holding.stream { break }
                try await command.serviceDatabase.write { db in
                    try await db.sql.raw("INSERT INTO marks (who) VALUES ('command')").run()
                }
                try await held.value
                let rows = try await serve.db.sql.raw("SELECT who FROM marks").all()
                let marks = try rows.map { try $0.decode(column: "who", as: String.self) }
                #expect(marks.sorted() == ["command", "serve"])
            } catch {
                try await command.asyncShutdown()
                throw error
            }
            try await command.asyncShutdown()
        }
    }

    /// Waits for `stream`'s next element, or `limit`, so that a test of a hang ends even when the code hangs.
    static func next(_ stream: AsyncStream<Void>, atMost limit: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in stream { break } }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Starts `app` on `location`'s SQLite file with a table of marks to write.
    static func startWithMarks(_ app: Application, on location: DatabaseLocation) async throws {
        try app.useServiceDatabase(location, migrations: [])
        try await app.migrateDatabase()
        try await app.db.sql.raw("CREATE TABLE marks (who TEXT NOT NULL)").run()
    }

    /// Starts another application on `location`'s SQLite file, as `selfsched serve` starts a service.
    static func instance(on location: DatabaseLocation) async throws -> Application {
        let app = try await Application.make(.testing)
        do {
            try app.useServiceDatabase(location, migrations: [])
            try await app.migrateDatabase()
            return app
        } catch {
            try await app.asyncShutdown()
            throw error
        }
    }

    @Test("a write that finds the lock held longer than the lock wait fails with 'database is locked', not never")
    func lockWaitIsBounded() async throws {
        guard !TestDatabase.usesPostgres else { return }
        try await TestDatabase.withApplication { serve, location in
            try await Self.startWithMarks(serve, on: location)
            let command = try await Self.instance(on: location)
            let holding = AsyncStream<Void>.makeStream()
            let done = AsyncStream<Void>.makeStream()
            // `serve` holds the write lock until the command's write has ended, at most a minute.
            let held = Task {
                try await serve.serviceDatabase.write { db in
                    try await db.sql.raw("INSERT INTO marks (who) VALUES ('serve')").run()
                    holding.continuation.yield()
                    await Self.next(done.stream, atMost: .seconds(60))
                }
            }
            for await _ in holding.stream { break }
            let started = ContinuousClock.now
            var failure: (any Error)?
            do {
                try await command.db.sql.raw("INSERT INTO marks (who) VALUES ('command')").run()
            } catch {
                failure = error
            }
            let waited = ContinuousClock.now - started
            done.continuation.yield()
            try await held.value
            try await command.asyncShutdown()
            // SQLiteNIO's own busy handler tries until the lock is free, which here is never before the write ends.
            #expect(failure is SQLiteError, "\(String(describing: failure))")
            #expect(waited >= SQLiteThreads.lockWait - .seconds(1))
        }
    }

    @Test("writes waiting for one service's lock leave the other services' database calls free to run")
    func waitersKeepToTheirService() async throws {
        guard !TestDatabase.usesPostgres else { return }
        try await TestDatabase.withApplication { other, otherLocation in
            try await Self.startWithMarks(other, on: otherLocation)
            try await TestDatabase.withApplication { busy, location in
                try await Self.startWithMarks(busy, on: location)
                // More waiters than the machine has cores: on the process-wide pool they held every thread.
                let waiters = try await withThrowingTaskGroup(of: Application.self) { group in
                    for _ in 0..<(System.coreCount + 1) { group.addTask { try await Self.instance(on: location) } }
                    return try await group.reduce(into: [Application]()) { $0.append($1) }
                }
                let failures: Int
                do {
                    failures = try await Self.waitBesideAnother(busy: busy, waiters: waiters, other: other)
                } catch {
                    for waiter in waiters { try? await waiter.asyncShutdown() }
                    throw error
                }
                for waiter in waiters { try await waiter.asyncShutdown() }
                // Had the other service waited for a thread the waiters held, they would have given up first.
                #expect(failures == 0)
                let rows = try await busy.db.sql.raw("SELECT who FROM marks").all()
                #expect(rows.count == waiters.count + 1)
            }
        }
    }

    /// `busy` holds its file's write lock while `waiters` (on the same file) wait for it and `other` (on its own
    /// file) writes; then `busy` lets go. Returns how many waiters failed.
    static func waitBesideAnother(busy: Application, waiters: [Application], other: Application) async throws -> Int {
        let holding = AsyncStream<Void>.makeStream()
        let release = AsyncStream<Void>.makeStream()
        let held = Task {
            try await busy.serviceDatabase.write { db in
                try await db.sql.raw("INSERT INTO marks (who) VALUES ('holder')").run()
                holding.continuation.yield()
                await Self.next(release.stream, atMost: .seconds(20))
            }
        }
        for await _ in holding.stream { break }
        let waiting = waiters.map { waiter in
            Task { try await waiter.db.sql.raw("INSERT INTO marks (who) VALUES ('waiter')").run() }
        }
        try await Task.sleep(for: .milliseconds(300)) // time for every waiter to be waiting in SQLite
        // Another service's write runs while they wait, and only then is the lock let go.
        try await other.db.sql.raw("INSERT INTO marks (who) VALUES ('other')").run()
        release.continuation.yield()
        try await held.value
        var failures = 0
        for task in waiting where (try? await task.value) == nil { failures += 1 }
        return failures
    }
}
