import Platform
import Vapor

extension StationApp {
    /// Migrates the database and, when `seedDemo`, loads the demo data into an empty one, under Station's startup
    /// lock (`Application.withStartupLock`): two instances started at once on an empty
    /// database would otherwise both create the same tables and both load the demo data.
    static func migrateAndSeed(_ app: Application, seedDemo: Bool) async throws -> Bool {
        try await app.withStartupLock(definition.name) {
            try await app.migrateDatabase()
            return seedDemo ? try await DemoSeeder(store: store(app)).seedIfEmpty() : false
        }
    }
}
