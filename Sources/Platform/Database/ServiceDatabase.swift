import Fluent
import FluentSQLiteDriver
import Vapor

/// A service's database as its stores use it: each use asks the application for the caller's handle, and every
/// write transaction passes the service's ``WriteGate``.
package struct ServiceDatabase: Sendable {
    private let handle: @Sendable () -> any Database
    package let gate: WriteGate

    package init(handle: @escaping @Sendable () -> any Database, gate: WriteGate) {
        self.handle = handle
        self.gate = gate
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
        let clock = ContinuousClock()
        let deadline = clock.now + Self.busyPatience
        var pause = Duration.milliseconds(10)
        while true {
            do {
                return try await gate.run { try await db.transaction { try await body($0) } }
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
        ServiceDatabase(handle: { self.db }, gate: writeGate)
    }
}
