import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

extension Application {
    private struct WriteGateKey: StorageKey { typealias Value = WriteGate }
    private struct DatabaseLocationKey: StorageKey { typealias Value = DatabaseLocation }
    private struct PoolUsageKey: StorageKey { typealias Value = PoolUsage }
    private struct AppendCommitKey: StorageKey { typealias Value = GroupCommit<AppendedRow> }

    /// Connects the application's default database and remembers where it is.
    package func useDatabase(_ location: DatabaseLocation, connectionsPerEventLoop: Int = 4) throws {
        let loops = Array(eventLoopGroup.makeIterator()).count
        let factory: DatabaseConfigurationFactory
        let id: DatabaseID
        let usage: PoolUsage
        switch location {
        case .sqlite(let path):
            try FilePrivacy.ensureDirectory(URL(fileURLWithPath: path).deletingLastPathComponent())
            FilePrivacy.restrict([path, path + "-wal", path + "-shm"])
            useSQLiteThreads()
            (factory, id) = (.sqlite(.file(path), maxConnectionsPerEventLoop: 1, sqlLogLevel: .trace), .sqlite)
            usage = PoolUsage(capacity: loops)
        case .postgres(let url, let schema):
            var configuration = try SQLPostgresConfiguration(url: url)
            if let schema { configuration.searchPath = [schema] }
            (factory, id) = (
                .postgres(
                    configuration: configuration, maxConnectionsPerEventLoop: connectionsPerEventLoop,
                    sqlLogLevel: .trace), .psql
            )
            usage = PoolUsage(capacity: loops * connectionsPerEventLoop)
        }
        let setup: SQLQueryString? = location.isSQLite ? SQLiteThreads.lockWaitStatement : nil
        databases.use(
            DatabaseConfigurationFactory {
                MeteredDatabaseConfiguration(base: factory.make(), usage: usage, connectionSetup: setup)
            }, as: id)
        storage[PoolUsageKey.self] = usage
        storage[DatabaseLocationKey.self] = location
        let gate = WriteGate(serializes: location.isSQLite)
        storage[WriteGateKey.self] = gate
        storage[AppendCommitKey.self] = Self.appendCommits(handle: { self.db }, gate: gate)
    }

    private static func appendCommits(handle: @escaping @Sendable () -> any Database, gate: WriteGate)
        -> GroupCommit<AppendedRow>
    {
        GroupCommit { rows in
            try await ServiceDatabase.write(handle: handle, gate: gate) { db in
                try await AppendedRow.insert(rows, on: db)
            }
        }
    }

    /// Where ``ServiceDatabase/append(_:)`` gathers rows into shared commits.
    var appendCommits: GroupCommit<AppendedRow> {
        if let commits = storage[AppendCommitKey.self] { return commits }
        let commits = Self.appendCommits(handle: { self.db }, gate: writeGate)
        storage[AppendCommitKey.self] = commits
        return commits
    }

    package var databaseLocation: DatabaseLocation? { storage[DatabaseLocationKey.self] }

    private struct SQLiteThreadsKey: StorageKey { typealias Value = Bool }

    /// Runs this application's blocking work (SQLite's calls, file reads) on ``SQLiteThreads/pool``; it must come
    /// before the application boots. Once per application.
    package func useSQLiteThreads() {
        guard storage[SQLiteThreadsKey.self] != true else { return }
        storage[SQLiteThreadsKey.self] = true
        threadPool = SQLiteThreads.pool
    }

    /// How much of the database's connection pool is in use, for `/metrics`.
    package var databasePoolUsage: PoolUsage? { storage[PoolUsageKey.self] }

    /// The gate write transactions pass, once the database is set up (nil before ``useDatabase(_:connectionsPerEventLoop:)``).
    package var existingWriteGate: WriteGate? { storage[WriteGateKey.self] }

    /// The gate every write transaction passes; see ``WriteGate``.
    package var writeGate: WriteGate {
        if let gate = storage[WriteGateKey.self] { return gate }
        let gate = WriteGate(serializes: true)
        storage[WriteGateKey.self] = gate
        return gate
    }

    /// Runs the registered migrations and, on SQLite, turns on write-ahead logging so readers never wait
    /// for a writer.
    package func migrateDatabase() async throws {
        if case .sqlite = databaseLocation, let sql = db as? any SQLDatabase {
            try await sql.raw("PRAGMA journal_mode=WAL").run()
        }
        try await autoMigrate()
    }
}

extension Database {
    /// Whether this is SQLite, for the few statements each database's planner wants written its own way.
    package var isSQLite: Bool { sql.dialect.name == "sqlite" }

    /// The same database through SQLKit, for the queries Fluent's builder cannot say.
    package var sql: any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { fatalError("Every database this project uses speaks SQL.") }
        return sql
    }
}

/// Where SQLite's blocking calls run, and how long a connection waits for another's write lock.
///
/// SQLiteNIO opens every connection with a busy handler that tries again at once, without pause or limit, on the
/// connection's thread. On Vapor's process-wide blocking pool (one thread per core) two such waiters, in any two
/// services of one process or any two tests, took every thread from the connection they waited for, and every SQLite
/// call in the process waited for ever (a CI run's SQLite tests stood still for half an hour). So:
/// - each connection first runs `PRAGMA busy_timeout`, which puts SQLite's own handler in its place: it sleeps
///   between tries (1 ms, rising to 100 ms) and gives up after ``lockWait`` with "database is locked";
/// - SQLite's calls run on a pool of their own, with more threads than waiters can take at once. It is never shut
///   down, like the pool it replaces: a connection a stopping service returns late can still be closed.
package enum SQLiteThreads {
    /// How long a statement waits, sleeping, for another connection's write lock before it fails.
    package static let lockWait = Duration.seconds(15)

    static let lockWaitStatement: SQLQueryString =
        "PRAGMA busy_timeout = \(unsafeRaw: String(lockWait.components.seconds * 1000))"

    /// Sixteen threads at least: a waiter sleeps on its thread, costing no processor time.
    package static let pool = NIOThreadPool._makePerpetualStartedPool(
        numberOfThreads: max(16, 4 * System.coreCount), threadNamePrefix: "selfsched-sqlite-")
}
