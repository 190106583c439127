import FluentKit
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SQLKit

/// How much of a database connection pool is in use: every operation counts from the moment it asks the pool for a
/// connection until it gives it back, so a figure above the capacity means requests are queueing for connections.
///
/// Fluent's pools do not expose their counts, so the count is kept by a thin wrapper around each database handle
/// the driver makes (``MeteredDatabaseConfiguration``). A transaction counts as one for its whole length.
package final class PoolUsage: Sendable {
    /// Connections the pool may open: per event loop times the number of loops.
    package let capacity: Int
    private let inFlight = NIOLockedValueBox(0)

    package init(capacity: Int) { self.capacity = capacity }

    /// Operations holding or waiting for a connection right now.
    package var inUse: Int { inFlight.withLockedValue { $0 } }

    func begin() { inFlight.withLockedValue { $0 += 1 } }
    func end() { inFlight.withLockedValue { $0 -= 1 } }

    func aroundFuture<T>(_ future: () -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        begin()
        return future().always { _ in self.end() }
    }

    func around<T>(_ body: () async throws -> T) async throws -> T {
        begin()
        defer { end() }
        return try await body()
    }
}

/// A driver's configuration whose database handles count their pool use in ``PoolUsage``.
struct MeteredDatabaseConfiguration: DatabaseConfiguration {
    var base: any DatabaseConfiguration
    let usage: PoolUsage

    var middleware: [any AnyModelMiddleware] {
        get { base.middleware }
        set { base.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        MeteredDriver(base: base.makeDriver(for: databases), usage: usage)
    }
}

private struct MeteredDriver: DatabaseDriver {
    let base: any DatabaseDriver
    let usage: PoolUsage

    func makeDatabase(with context: DatabaseContext) -> any Database {
        MeteredDatabase(base: base.makeDatabase(with: context), usage: usage)
    }

    func shutdown() { base.shutdown() }
    func shutdownAsync() async { await base.shutdownAsync() }
}

/// Delegates everything to the driver's own handle, Fluent and SQLKit alike, counting each operation.
private struct MeteredDatabase: Database, SQLDatabase {
    let base: any Database
    let usage: PoolUsage

    private var sqlBase: any SQLDatabase { base.sql }

    // Fluent
    var context: DatabaseContext { base.context }
    var inTransaction: Bool { base.inTransaction }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void)
        -> EventLoopFuture<Void>
    {
        usage.aroundFuture { base.execute(query: query, onOutput: onOutput) }
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> {
        usage.aroundFuture { base.execute(schema: schema) }
    }
    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { usage.aroundFuture { base.execute(enum: `enum`) } }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        usage.aroundFuture { base.transaction(closure) }
    }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        usage.aroundFuture { base.withConnection(closure) }
    }

    // SQLKit
    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { sqlBase.version }
    var dialect: any SQLDialect { sqlBase.dialect }
    var queryLogLevel: Logger.Level? { sqlBase.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        usage.aroundFuture { sqlBase.execute(sql: query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await usage.around { try await sqlBase.execute(sql: query, onRow) }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await usage.around { try await sqlBase.withSession(closure) }
    }
}
