import Foundation

extension ServiceDefinition {
    /// This service's experiments book (`selfsched experiments`), built live with its database migrated (its
    /// workers not running). The service must register ``ExperimentMigrations``.
    package func withExperiments<T: Sendable>(
        _ settings: ServiceSettings, _ body: (DatabaseExperiments) async throws -> T
    ) async throws -> T {
        try await withMigrated(settings) { app in try await body(DatabaseExperiments(database: app.serviceDatabase)) }
    }
}
