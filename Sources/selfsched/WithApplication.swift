import Platform
import Vapor

/// Runs `body` with a booted application that is shut down afterwards, for one-shot commands.
func withApplication<T: Sendable>(_ body: (Application) async throws -> T) async throws -> T {
    let app = try await ServiceHost.makeApplication()
    do {
        try await app.asyncBoot()
        let result = try await body(app)
        try await app.asyncShutdown()
        return result
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}
