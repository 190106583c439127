import Fluent
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
    package func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await gate.run { try await db.transaction { try await body($0) } }
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
