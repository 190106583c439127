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
            useOwnThreadPool()
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
        databases.use(
            DatabaseConfigurationFactory { MeteredDatabaseConfiguration(base: factory.make(), usage: usage) }, as: id)
        storage[PoolUsageKey.self] = usage
        storage[DatabaseLocationKey.self] = location
        storage[WriteGateKey.self] = WriteGate(serializes: location.isSQLite)
    }

    package var databaseLocation: DatabaseLocation? { storage[DatabaseLocationKey.self] }

    private struct OwnThreadPoolKey: StorageKey { typealias Value = Bool }

    /// Gives this application a thread pool of its own for blocking work (SQLite's calls, file reads), with two
    /// threads more than it has event loops, once; it must come before the application boots.
    ///
    /// SQLite's calls block a thread each, and SQLiteNIO's busy handler has a connection that waits for another's
    /// write lock try again at once, for as long as it takes, on its thread. On the process-wide pool (one thread per
    /// core) the services of one process, or two instances in one test, could fill every thread with waiters, leaving
    /// none for the connection they wait for, and all of them waited for ever (a CI run's SQLite tests stood still for
    /// half an hour). A service's own pool has a thread for each of its connections and two more, so the connection
    /// holding its lock always has one.
    package func useOwnThreadPool() {
        guard storage[OwnThreadPoolKey.self] != true else { return }
        storage[OwnThreadPoolKey.self] = true
        threadPool = NIOThreadPool(numberOfThreads: Array(eventLoopGroup.makeIterator()).count + 2)
    }

    /// How much of the database's connection pool is in use, for `/metrics`.
    package var databasePoolUsage: PoolUsage? { storage[PoolUsageKey.self] }

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
