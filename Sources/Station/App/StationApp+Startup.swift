import Fluent
import Platform
import SQLKit
import Vapor

extension StationApp {
    /// Any constant of Station's own: the key of the PostgreSQL advisory lock its instances take to start.
    static let startupLock: Int64 = 0x5354_5354_4152_5453

    /// Migrates the database and, when `seedDemo`, loads the demo data into an empty one, while no other Station
    /// instance on this PostgreSQL database does the same: two instances started at once on an empty database
    /// would otherwise both create the same tables and both load the demo data. The lock is a session's, taken on
    /// one connection of the pool that then does the whole start (so a start needs no more connections than
    /// before), and keyed by the schema like ``StationStore/advisoryLock(_:on:)``. SQLite has no such lock: one
    /// file is served by one instance.
    static func migrateAndSeed(_ app: Application, seedDemo: Bool) async throws -> Bool {
        guard case .postgres = app.databaseLocation else {
            try await app.migrateDatabase()
            return seedDemo ? try await DemoSeeder(store: store(app)).seedIfEmpty() : false
        }
        let (migrations, gate, subscribers) = (app.migrations, app.writeGate, app.stationEventSubscribers)
        return try await app.db.withConnection { connection in
            let key: SQLQueryString = "\(bind: startupLock) # hashtextextended(current_schema(), 0)"
            try await connection.sql.raw("SELECT pg_advisory_lock(\(key))").run()
            do {
                let migrator = Migrator(
                    databaseFactory: { _ in connection }, migrations: migrations, on: connection.eventLoop)
                try await migrator.setupIfNeeded().get()
                try await migrator.prepareBatch().get()
                let store = StationStore(
                    database: ServiceDatabase(handle: { connection }, gate: gate), now: { Date() },
                    eventSubscribers: subscribers)
                let seeded = seedDemo ? try await DemoSeeder(store: store).seedIfEmpty() : false
                try await connection.sql.raw("SELECT pg_advisory_unlock(\(key))").run()
                return seeded
            } catch {
                try? await connection.sql.raw("SELECT pg_advisory_unlock(\(key))").run()
                throw error
            }
        }
    }
}
