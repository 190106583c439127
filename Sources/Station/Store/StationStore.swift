import Fluent
import Foundation
import Platform
import StationDomain

/// Station's data access: every read and write of the system of record goes through here.
///
/// Partner scoping is explicit in every call; the API layer decides which partner a caller may name.
struct StationStore: Sendable {
    /// Asked on every use, so each query runs on the caller's event loop and its connection pool; one handle
    /// kept from startup pinned every query of every request to a single loop's pool.
    let database: @Sendable () -> any Database
    var db: any Database { database() }
    let gate: WriteGate
    let now: @Sendable () -> Date

    /// Runs `body` in one transaction, serialized with other writers where the database needs it.
    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await gate.run { try await db.transaction { try await body($0) } }
    }

    /// The current time, truncated to whole milliseconds so that every database stores it exactly.
    func timestamp() -> Date {
        Date(timeIntervalSince1970: (now().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}

/// A page of results and the cursor of the next one.
struct Page<Item: Sendable>: Sendable {
    var items: [Item]
    var nextCursor: PageCursor?
}
