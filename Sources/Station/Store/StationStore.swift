import Fluent
import Foundation
import Platform
import StationDomain

/// Station's data access: every read and write of the system of record goes through here.
///
/// Partner scoping is explicit in every call; the API layer decides which partner a caller may name.
struct StationStore: Sendable {
    let database: ServiceDatabase
    var db: any Database { database.db }
    var gate: WriteGate { database.gate }
    let now: @Sendable () -> Date
    /// The outbox destinations every event is queued for (``publish(_:on:)``).
    var eventSubscribers: [String] = []
    /// Searches of the whole day for the days that follow accepted routes (nil: none are run).
    var planSearch: BackgroundPlanSearch? = nil

    /// Runs `body` in one transaction, serialized with other writers where the database needs it.
    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await database.write(body)
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
