import Foundation
import Platform
import TestSupport
import Testing
import Vapor

@testable import Station

/// Two Station instances on one database, as two processes behind a load balancer run them: each built by the same
/// `configure` into its own application, with its own connection pool, write gate and outbox worker, and both
/// trusting one test issuer. On SQLite the two pools contend for the file's lock; on PostgreSQL (`--pg`) they meet
/// in the database as in production.
struct TwoStations {
    let one: StationHarness
    let two: StationHarness
    /// Whether each instance's start loaded the demo data.
    let seeded: [Bool]

    /// The instance that serves the `index`th request when a balancer alternates between them.
    func instance(_ index: Int) -> StationHarness { index.isMultiple(of: 2) ? one : two }

    static func with(_ body: (TwoStations) async throws -> Void) async throws {
        let issuer = TestIssuer()
        try await TestDatabase.withApplication { app, location in
            let other = try await Application.make(.testing)
            do {
                for instance in [app, other] {
                    let keys = StaticJWKSSource(
                        Dictionary(uniqueKeysWithValues: StationHarness.tenantIssuers.map { ($0, issuer.jwks) }))
                    let config = StationConfig(database: location, trustedIssuers: Set(StationHarness.tenantIssuers))
                    try StationApp.configure(instance, config: config, keySource: keys)
                }
                let seeded: [Bool]
                if TestDatabase.usesPostgres {
                    // Both start at once on the empty database.
                    async let first = StationApp.prepare(app, seedDemo: true)
                    async let second = StationApp.prepare(other, seedDemo: true)
                    seeded = try await [first, second]
                } else {
                    // An SQLite file has no lock to take for a start (a file is one instance's); the second instance
                    // starts on the file the first prepared, as `deploy/scale-out.sh` starts them.
                    seeded = [
                        try await StationApp.prepare(app, seedDemo: true),
                        try await StationApp.prepare(other, seedDemo: true),
                    ]
                }
                try await body(
                    TwoStations(
                        one: StationHarness(app: app, issuer: issuer), two: StationHarness(app: other, issuer: issuer),
                        seeded: seeded))
            } catch {
                try? await other.asyncShutdown()
                throw error
            }
            try await other.asyncShutdown()
        }
    }
}

/// Whether a shared flag was set, for a reader that must do one more read after the writers finish.
final class Finished: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false

    var isSet: Bool { lock.withLock { done } }
    func set() { lock.withLock { done = true } }
}
