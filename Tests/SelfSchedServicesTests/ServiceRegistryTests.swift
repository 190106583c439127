import Fluent
import Foundation
import Platform
import SelfSchedServices
import Testing
import VaporTesting

@Suite("The service registry")
struct ServiceRegistryTests {
    @Test("serve and --only know the six services, in the order they start")
    func names() {
        #expect(ServiceRegistry.all.names == ["identity", "station", "policy", "express", "oss", "console"])
    }

    @Test("migrate creates the schema of every service that keeps data, OSS and Console included")
    func migrateEveryService() async throws {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("registry-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let settings = ServiceSettings(environment: [:], dataDirectory: directory)

        let migrated = try await ServiceRegistry.all.migrate(settings) { try await Application.make(.testing) }

        #expect(migrated.map(\.name) == ["identity", "station", "express", "oss", "console"])
        for (name, database) in migrated {
            let applied = try await ServiceHost.withApplication({ try await Application.make(.testing) }) { app in
                try app.useDatabase(database)
                return try await app.db.sql.raw("SELECT COUNT(*) AS n FROM _fluent_migrations").first()?.decode(
                    column: "n", as: Int.self)
            }
            #expect((applied ?? 0) > 0, "\(name) recorded no migration in \(database)")
        }
    }
}
