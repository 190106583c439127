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
    /// What each pooled connection runs once, before its first use (SQLite's lock wait); nil for none.
    var connectionSetup: SQLQueryString?

    var middleware: [any AnyModelMiddleware] {
        get { base.middleware }
        set { base.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        MeteredDriver(
            base: base.makeDriver(for: databases), usage: usage,
            setup: connectionSetup.map { ConnectionSetup(statement: $0) })
    }
}

/// Runs a statement once on each event loop's pooled connection before anything else uses it. The SQLite pool keeps
/// one connection per event loop and keeps it open, so once per loop is once per connection.
final class ConnectionSetup: Sendable {
    let statement: SQLQueryString
    private let done = NIOLockedValueBox(Set<ObjectIdentifier>())

    init(statement: SQLQueryString) { self.statement = statement }

    /// Completes once `database`'s event loop's connection has run the statement. Two first uses at once both run it,
    /// which is harmless.
    func ready(_ database: any Database) -> EventLoopFuture<Void> {
        let loop = ObjectIdentifier(database.eventLoop)
        if done.withLockedValue({ $0.contains(loop) }) { return database.eventLoop.makeSucceededVoidFuture() }
        let statement = self.statement
        return database.withConnection { connection in connection.sql.raw(statement).run() }
            .map { self.done.withLockedValue { _ = $0.insert(loop) } }
    }
}

private struct MeteredDriver: DatabaseDriver {
    let base: any DatabaseDriver
    let usage: PoolUsage
    let setup: ConnectionSetup?

    func makeDatabase(with context: DatabaseContext) -> any Database {
        MeteredDatabase(base: base.makeDatabase(with: context), usage: usage, setup: setup)
    }

    func shutdown() { base.shutdown() }
    func shutdownAsync() async { await base.shutdownAsync() }
}

/// Delegates everything to the driver's own handle, Fluent and SQLKit alike, counting each operation.
private struct MeteredDatabase: Database, SQLDatabase {
    let base: any Database
    let usage: PoolUsage
    let setup: ConnectionSetup?

    /// `operation` once the connection it will use has run the setup statement.
    private func ready<T>(_ operation: @escaping @Sendable () -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        guard let setup else { return operation() }
        return setup.ready(base).flatMap { operation() }
    }

    private var sqlBase: any SQLDatabase { base.sql }

    // Fluent
    var context: DatabaseContext { base.context }
    var inTransaction: Bool { base.inTransaction }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void)
        -> EventLoopFuture<Void>
    {
        usage.aroundFuture { ready { base.execute(query: query, onOutput: onOutput) } }
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> {
        usage.aroundFuture { ready { base.execute(schema: schema) } }
    }
    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> {
        usage.aroundFuture { ready { base.execute(enum: `enum`) } }
    }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        usage.aroundFuture { ready { base.transaction(closure) } }
    }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        usage.aroundFuture { ready { base.withConnection(closure) } }
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
        usage.aroundFuture { ready { sqlBase.execute(sql: query, onRow) } }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await usage.around {
            if let setup { try await setup.ready(base).get() }
            try await sqlBase.execute(sql: query, onRow)
        }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await usage.around {
            if let setup { try await setup.ready(base).get() }
            return try await sqlBase.withSession(closure)
        }
    }
}
