import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Platform
import TestSupport
import Vapor

@testable import Identity

/// Services started on real ports, talking real HTTP, as `selfsched serve` runs them.
struct RunningIdentity {
    let app: Application
    let port: Int
    let secrets: [String: String]
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// `adjust` changes the configuration before Identity starts.
    static func with(
        hook: any PostLoginHook, adjust: (inout IdentityConfig) -> Void = { _ in },
        _ body: (RunningIdentity) async throws -> Void
    ) async throws {
        // Identity's issuer names its port, so the port is chosen first; if someone takes it meanwhile, try another.
        for attempt in 1...3 {
            do {
                return try await once(hook: hook, adjust: adjust, body)
            } catch  where isAddressInUse(error) && attempt < 3 {
                continue
            }
        }
    }

    static func once(
        hook: any PostLoginHook, adjust: (inout IdentityConfig) -> Void,
        _ body: (RunningIdentity) async throws -> Void
    ) async throws {
        let app = try await Application.make(.testing)
        let database = try await TestDatabase.make(on: app)
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("it-\(UUID().uuidString)")
            .path
        let port = freePort()
        do {
            var config = IdentityConfig(
                endpoint: ServiceEndpoint(port: port), database: database.location,
                publicURL: "http://127.0.0.1:\(port)", dataDirectory: dataDirectory)
            config.expressWebURL = "http://localhost:8080"
            config.passwordHashCost = 4
            adjust(&config)
            try IdentityApp.configure(app, config: config, hook: hook)
            let secrets = try await IdentityApp.prepare(app, seedDemo: true)
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            try await body(RunningIdentity(app: app, port: port, secrets: secrets))
        } catch {
            await app.server.shutdown()
            await database.drop()
            try await app.asyncShutdown()
            throw error
        }
        await app.server.shutdown()
        await database.drop()
        try? FileManager.default.removeItem(atPath: dataDirectory)
        try await app.asyncShutdown()
    }
}

/// The hook double: every Sunrise demo user is a scheduler.
struct SunriseHook: PostLoginHook {
    func claims(forEmail email: String) async throws -> HookDecision {
        .allow(
            HookClaims(userID: "u-\(email)", partnerID: "5a7e0000-0000-4000-8000-000000000001", roles: ["scheduler"]))
    }
}
