import FluentPostgresDriver
import Foundation
import PostgresNIO
import SQLKit
import Vapor

/// A start that gave up waiting for another session's startup lock.
package struct StartupLockTimeout: Error, CustomStringConvertible {
    /// The lock's name, as ``Application/withStartupLock(_:patience:_:)`` was given it.
    package var lock: String
    package var patience: Duration
    /// Who holds it, when PostgreSQL could say.
    package var holder: String?

    package var description: String {
        "Gave up after \(patience) waiting for the startup lock \"\(lock)\", "
            + "held by \(holder ?? "another session") on this database: another instance is migrating or seeding it, "
            + "or a stuck session holds the lock. End that session, or wait longer with "
            + "\(StartupLock.patienceVariable)=SECONDS."
    }
}

/// The PostgreSQL advisory lock each service's instances take to migrate and seed at start, one instance at a time.
enum StartupLock {
    /// The environment variable that sets how long a start waits for the lock, in seconds.
    static let patienceVariable = "SELFSCHED_STARTUP_LOCK_SECONDS"
    static let defaultPatience = Duration.seconds(120)
    /// Short, since a start usually waits only for another instance's migrations.
    static let pause = Duration.milliseconds(200)
    /// How often a waiting start says so.
    static let reportEvery = Duration.seconds(10)

    /// The lock's key: the service's name and the schema it migrates, so that services sharing one database, and
    /// tests each in their own schema, never wait for one another.
    static func key(_ name: String, on sql: any SQLDatabase) async throws -> Int64 {
        let row = try await sql.raw(
            """
            SELECT hashtextextended(\(bind: "selfsched.startup." + name + "/") || coalesce(current_schema(), ''), 0) \
            AS key
            """
        ).first()
        guard let row else { throw ConfigurationError("PostgreSQL returned no key for the startup lock \"\(name)\".") }
        return try row.decode(column: "key", as: Int64.self)
    }

    /// Who holds the advisory lock `key` on this database, for the operator: the session's process id and
    /// application name.
    static func holder(of key: Int64, on sql: any SQLDatabase) async throws -> String? {
        let row = try await sql.raw(
            """
            SELECT l.pid AS pid, coalesce(a.application_name, '') AS application FROM pg_locks l \
            LEFT JOIN pg_stat_activity a ON a.pid = l.pid \
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 \
            AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
            AND ((l.classid::bigint << 32) | l.objid::bigint) = \(bind: key) LIMIT 1
            """
        ).first()
        guard let row else { return nil }
        let pid = try row.decode(column: "pid", as: Int32.self)
        let application = try row.decode(column: "application", as: String.self)
        return "session \(pid)" + (application.isEmpty ? "" : " (\(application))")
    }
}

extension Application {
    /// How long a start waits for its service's startup lock: `SELFSCHED_STARTUP_LOCK_SECONDS`, else 120 s; a test
    /// may set it.
    package var startupLockPatience: Duration {
        get throws {
            if let patience = storage[StartupLockPatienceKey.self] { return patience }
            guard let value = Environment.get(StartupLock.patienceVariable) else { return StartupLock.defaultPatience }
            guard let seconds = Int(value), seconds > 0 else {
                throw ConfigurationError(
                    "\(StartupLock.patienceVariable) must be a whole number of seconds above 0, not \(value).")
            }
            return .seconds(seconds)
        }
    }

    /// Sets ``startupLockPatience`` for this application.
    package func setStartupLockPatience(_ patience: Duration) {
        storage[StartupLockPatienceKey.self] = patience
    }

    private struct StartupLockPatienceKey: StorageKey { typealias Value = Duration }

    /// Runs `body` (a service's migrations and demo seed at start) while no other instance of the service named
    /// `name` runs its own on this PostgreSQL database and schema: two instances started at once on an empty
    /// database would otherwise both create the same tables and both load the demo data.
    ///
    /// The lock is a PostgreSQL session's advisory lock, taken on a connection of its own, outside the pool, that is
    /// closed afterwards: closing it releases the lock even when the unlock itself fails, so no pooled connection
    /// ever keeps it. The start tries the lock again every 200 ms, saying in the log that it waits and for whom,
    /// and fails naming the lock once `patience` (else ``startupLockPatience``) has passed. On SQLite `body` just
    /// runs: one file is served by one instance.
    package func withStartupLock<T>(_ name: String, patience: Duration? = nil, _ body: () async throws -> T)
        async throws -> T
    {
        guard case .postgres(let url, let schema) = databaseLocation else { return try await body() }
        let patience = try patience ?? startupLockPatience
        let logger = self.logger
        let configuration = try SQLPostgresConfiguration(url: url)
        let connection = try await PostgresConnection.connect(
            on: eventLoopGroup.any(), configuration: configuration.coreConfiguration, id: 0, logger: logger)
        do {
            let sql = connection.sql(queryLogLevel: .trace, logger: logger)
            if let schema { try await sql.raw("SET search_path TO \(ident: schema)").run() }
            let key = try await StartupLock.key(name, on: sql)
            try await acquire(key, named: name, patience: patience, on: sql, logger: logger)
            let result = try await body()
            do {
                try await sql.raw("SELECT pg_advisory_unlock(\(bind: key))").run()
            } catch {
                logger.warning("Could not release the startup lock \"\(name)\" (\(error)); closing its session does.")
            }
            try? await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Tries the lock until it is taken or `patience` has passed.
    private func acquire(
        _ key: Int64, named name: String, patience: Duration, on sql: any SQLDatabase, logger: Logger
    ) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        var nextReport = start
        while true {
            let row = try await sql.raw("SELECT pg_try_advisory_lock(\(bind: key)) AS locked").first()
            if try row?.decode(column: "locked", as: Bool.self) == true { return }
            guard clock.now - start + StartupLock.pause < patience else {
                let holder = try? await StartupLock.holder(of: key, on: sql)
                throw StartupLockTimeout(lock: name, patience: patience, holder: holder)
            }
            if clock.now >= nextReport {
                let holder = try? await StartupLock.holder(of: key, on: sql)
                logger.notice(
                    "Waiting for the startup lock \"\(name)\", held by \(holder ?? "another session"), for up to \(patience)."
                )
                nextReport = clock.now + StartupLock.reportEvery
            }
            try await Task.sleep(for: StartupLock.pause)
        }
    }
}
