import Foundation
import IdentityDomain
import JWTKit
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Identity

extension IdentityHarness {
    /// An Identity whose sealing key is set (as `IDENTITY_SEALING_KEY` sets it) rather than made in its data
    /// directory, so that a second instance elsewhere can hold the same key.
    static func withSharedSealingKey(
        adjust: (inout IdentityConfig) -> Void = { _ in }, _ body: (IdentityHarness) async throws -> Void
    ) async throws {
        let sealing = SealingKey.generate()
        try await with(
            adjust: {
                $0.sealingKey = sealing
                adjust(&$0)
            }, body)
    }

    /// Runs `body` with a second Identity on the same database and sealing key but its own, empty, data directory:
    /// an instance on another host.
    func withInstanceElsewhere(_ body: (Application) async throws -> Void) async throws {
        var elsewhere = config
        elsewhere.dataDirectory =
            FileManager.default.temporaryDirectory.appendingPathComponent(
                "identity-elsewhere-\(UUID().uuidString)"
            ).path
        defer { try? FileManager.default.removeItem(atPath: elsewhere.dataDirectory) }
        let other = try await Application.make(.testing)
        do {
            try IdentityApp.configure(other, config: elsewhere, hook: hook, now: { clock.now })
            try await body(other)
        } catch {
            try await other.asyncShutdown()
            throw error
        }
        try await other.asyncShutdown()
    }

    /// A verifier of staff access tokens for Station holding the keys `app` publishes.
    static func verifier(publishedBy app: Application) async throws -> TokenVerifier {
        let issuer = "http://localhost:8083/staff"
        return TokenVerifier(
            trustedIssuers: [issuer], audience: "station",
            keySource: StaticJWKSSource([issuer: try await KeyRotationTests.published(app)]))
    }

    /// The published keys of `app` as (kid, x) pairs, to compare two instances' JWKS.
    static func publishedPoints(_ app: Application) async throws -> Set<String> {
        let keys = try await app.testing().sendRequest(.GET, "/staff/jwks").object["keys"] as? [[String: Any]] ?? []
        return Set(keys.map { "\($0["kid"] as? String ?? "-") \($0["x"] as? String ?? "-")" })
    }
}
