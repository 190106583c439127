import Fluent
import FluentSQLiteDriver
import Foundation
import Platform
import SQLKit
import TestSupport
import Testing
import Vapor

@Suite("Writes to an SQLite file another process is writing")
struct ServiceDatabaseBusyTests {
    /// Two applications on one SQLite file stand for `serve` and a `selfsched` command beside it: each has its own
    /// connections and write gate, so only SQLite's file lock keeps them apart.
    @Test("a write waits for the other's transaction instead of failing with 'database is locked'")
    func waitsForTheOtherWriter() async throws {
        guard !TestDatabase.usesPostgres else { return }
        try await TestDatabase.withApplication { serve, location in
            try serve.useServiceDatabase(location, migrations: [])
            try await serve.migrateDatabase()
            try await serve.db.sql.raw("CREATE TABLE marks (who TEXT NOT NULL)").run()
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
}
