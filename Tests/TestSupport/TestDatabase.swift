import Fluent
import FluentPostgresDriver
import Foundation
import Platform
import Vapor

/// A fresh, empty database for one test: an SQLite file in a temporary directory, or, when
/// `SELFSCHED_TEST_POSTGRES_URL` is set, a new schema in that PostgreSQL database.
package struct TestDatabase: Sendable {
    package let location: DatabaseLocation
    let cleanup: @Sendable () async -> Void

    package static var usesPostgres: Bool { ProcessInfo.processInfo.environment["SELFSCHED_TEST_POSTGRES_URL"] != nil }

    package static func make(on app: Application) async throws -> TestDatabase {
        if let url = ProcessInfo.processInfo.environment["SELFSCHED_TEST_POSTGRES_URL"] {
            let schema = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let admin = DatabaseID(string: "admin")
            app.databases.use(try .postgres(url: url), as: admin, isDefault: false)
            try await app.db(admin).sql.raw("CREATE SCHEMA \(unsafeRaw: schema)").run()
            return TestDatabase(location: .postgres(url: url, schema: schema)) {
                try? await app.db(admin).sql.raw("DROP SCHEMA \(unsafeRaw: schema) CASCADE").run()
            }
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "selfsched-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return TestDatabase(location: .sqlite(path: directory.appendingPathComponent("test.sqlite").path)) {
            try? FileManager.default.removeItem(at: directory)
        }
    }

    package func drop() async { await cleanup() }
}

extension TestDatabase {
    /// Runs `body` with a testing application and where its fresh database is, then drops the database and
    /// shuts the application down, whether `body` succeeds or throws.
    package static func withApplication(_ body: (Application, DatabaseLocation) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        let database = try await TestDatabase.make(on: app)
        do {
            try await body(app, database.location)
        } catch {
            await database.drop()
            try await app.asyncShutdown()
            throw error
        }
        await database.drop()
        try await app.asyncShutdown()
    }
}
