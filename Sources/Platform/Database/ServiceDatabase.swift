import Fluent
import FluentSQLiteDriver
import SQLKit
import Vapor

/// A service's database as its stores use it: each use asks the application for the caller's handle, and every
/// write transaction passes the service's ``WriteGate``.
package struct ServiceDatabase: Sendable {
    private let handle: @Sendable () -> any Database
    package let gate: WriteGate
    private let appends: GroupCommit<AppendedRow>
    private let open: @Sendable () -> Bool

    package init(
        handle: @escaping @Sendable () -> any Database, gate: WriteGate, appends: GroupCommit<AppendedRow>,
        open: @escaping @Sendable () -> Bool = { true }
    ) {
        self.handle = handle
        self.gate = gate
        self.appends = appends
        self.open = open
    }

    /// Whether the database is still there: false once the application shut down. Work that may outlive the
    /// requests that started it (a live stream's periodic re-check) asks first, as ``db`` stops the process then.
    package var isOpen: Bool { open() }

    /// Appends `row` durably, sharing the commit with other callers' rows that arrive meanwhile (``GroupCommit``):
    /// returns once the row is committed. For append-only records a caller waits on, such as an audit event that
    /// must be stored before the page it records is served.
    package func append(_ row: AppendedRow) async throws {
        try await appends.submit(row)
    }

    /// Asked on every use, so each query runs on the caller's event loop and its connection pool; one handle
    /// kept from startup pinned every query of every request to a single loop's pool.
    package var db: any Database { handle() }

    /// Runs `body` in one transaction, through the write gate.
    ///
    /// On SQLite another process (a `selfsched` command beside `serve`, a second instance on the same file) may
    /// hold the file's write lock, which SQLite answers at once with "database is locked": the whole transaction,
    /// which changed nothing, is tried again after a short pause, for up to ``busyPatience``. Bodies only touch the
    /// database, so running one again is safe.
    package func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await Self.write(handle: handle, gate: gate, body)
    }

    static func write<T: Sendable>(
        handle: @escaping @Sendable () -> any Database, gate: WriteGate,
        _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now + Self.busyPatience
        var pause = Duration.milliseconds(10)
        while true {
            do {
                return try await gate.run { try await handle().transaction { try await body($0) } }
            } catch let error as SQLiteError where error.isLocked && clock.now + pause < deadline {
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .milliseconds(250))
            }
        }
    }

    /// How long a write waits for another process's lock on an SQLite file before it fails. A transaction that read
    /// before it wrote is refused at once while another connection writes, so under a steady stream of writes from a
    /// second instance it may need many tries: 10 s was too short for two instances on one file under load.
    package static let busyPatience = Duration.seconds(30)
}

extension SQLiteError {
    /// Another connection holds the lock this statement needs; nothing was written.
    var isLocked: Bool {
        switch reason {
        case .busy, .busyInRecovery, .busyInSnapshot, .busyTimeout, .locked, .lockedBySharedCache: true
        default: false
        }
    }
}

extension Application {
    /// Connects the service's own database at `location` and registers its migrations, in order.
    package func useServiceDatabase(_ location: DatabaseLocation, migrations: [any Migration]) throws {
        try useDatabase(location)
        self.migrations.add(migrations)
    }

    /// The application's default database, for a service's stores.
    package var serviceDatabase: ServiceDatabase {
        ServiceDatabase(
            handle: { self.db }, gate: writeGate, appends: appendCommits,
            open: { self.databases.database(logger: self.logger, on: self.eventLoopGroup.any()) != nil })
    }
}

/// One row for ``ServiceDatabase/append(_:)``: its table, columns and values, in the same order.
package struct AppendedRow: Sendable {
    package var table: String
    package var columns: [String]
    package var values: [any Encodable & Sendable]

    package init(into table: String, _ pairs: KeyValuePairs<String, any Encodable & Sendable>) {
        self.table = table
        self.columns = pairs.map(\.key)
        self.values = pairs.map(\.value)
    }

    /// Inserts `rows` in the caller's transaction: one multi-row statement per table and column list.
    static func insert(_ rows: [AppendedRow], on db: any Database) async throws {
        var groups: [[String]: [AppendedRow]] = [:]
        var order: [[String]] = []
        for row in rows {
            let key = [row.table] + row.columns
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(row)
        }
        for key in order {
            guard let group = groups[key], let first = group.first else { continue }
            var insert = db.sql.insert(into: first.table).columns(first.columns)
            for row in group { insert = insert.values(row.values.map { SQLBind($0) }) }
            try await insert.run()
        }
    }
}

/// The application shut down: its database is gone.
package struct DatabaseClosed: Error {
    package init() {}
}
