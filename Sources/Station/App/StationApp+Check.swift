import Fluent
import Foundation
import Platform
import Vapor

extension StationApp {
    /// `selfsched station check-capacity`: no window over capacity, and the counts of care requests and events.
    /// It only reads: it neither migrates nor seeds, and refuses a database whose schema is missing or behind this
    /// version's, which `selfsched migrate` brings up to date.
    package static func check(_ app: Application) async throws -> StationCheck {
        try await requireSchema(app)
        return try await store(app).check()
    }

    /// Throws, in words an operator can act on, unless every migration of Station's has run on its database.
    static func requireSchema(_ app: Application) async throws {
        let location = app.databaseLocation.map(String.init(describing:)) ?? "Station's database"
        let advice = "Run `selfsched migrate` (or start Station) first; check-capacity changes nothing."
        // Opening a missing SQLite file would create it.
        if case .sqlite(let path) = app.databaseLocation, !FileManager.default.fileExists(atPath: path) {
            throw ConfigurationError("Station has no database at \(location). \(advice)")
        }
        let applied: Set<String>
        do {
            applied = Set(try await MigrationLog.query(on: app.db).all(\.$name))
        } catch {
            throw ConfigurationError(
                "Station's schema is missing from \(location) (its migration log cannot be read: \(String(reflecting: error))). \(advice)"
            )
        }
        let missing = StationMigrations.all.map(\.name).filter { !applied.contains($0) }
        guard missing.isEmpty else {
            throw ConfigurationError(
                "Station's schema in \(location) is "
                    + (applied.isEmpty
                        ? "missing" : "behind this version (not yet run: \(missing.joined(separator: ", ")))")
                    + ". \(advice)")
        }
    }
}
