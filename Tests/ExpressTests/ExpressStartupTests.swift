import Fluent
import Foundation
import Platform
import TestSupport
import Testing
import Vapor

@testable import Express

/// Express scaled out (issue 22): two instances started at once on an empty database, as two processes behind a
/// load balancer start. Run with `--pg` for the real proof: on SQLite the second starts on the file the first
/// prepared.
@Suite("Express started twice at once", .timeLimit(.minutes(10)))
struct ExpressStartupTests {
    @Test("two instances starting at once on an empty database both start, and the demo data is loaded once")
    func startTogether() async throws {
        let doubles = (FakeStation(), FakeHandoffs(), FakeAccounts(), FakeBackendClients())
        defer {
            for unexpected in [
                doubles.0.unexpected, doubles.1.unexpected, doubles.2.unexpected, doubles.3.unexpected,
            ] { unexpected.verify() }
        }
        let issuer = TestIssuer(issuer: "http://localhost:8083/staff", kid: "machine")
        try await TestDatabase.withApplication { app, location in
            let other = try await Application.make(.testing)
            do {
                for instance in [app, other] {
                    let config = ExpressConfig(
                        database: location, dataDirectory: NSTemporaryDirectory(), clientSecret: "x",
                        machineClientSecret: "y",
                        webhookSecret: "whsec_" + Data("test-webhook-secret-0123456789".utf8).base64EncodedString())
                    let dependencies = ExpressDependencies(
                        station: doubles.0, handoffs: doubles.1, accounts: doubles.2,
                        tracker: Tracker(app: .express, sink: RecordingAnalyticsSink()),
                        internalKeys: issuer.keySource, partnerKeys: issuer.keySource,
                        relyingParty: RelyingParty(
                            .init(
                                issuer: "http://127.0.0.1:9/express", clientID: "express-web", clientSecret: "x",
                                redirectURI: "http://localhost:8080/auth/callback")),
                        backendClients: doubles.3)
                    try ExpressApp.configure(instance, config: config, dependencies: dependencies)
                }
                let seeded: [Bool]
                if TestDatabase.usesPostgres {
                    async let first = ExpressApp.prepare(app, seedDemo: true)
                    async let second = ExpressApp.prepare(other, seedDemo: true)
                    seeded = try await [first, second]
                } else {
                    seeded = [
                        try await ExpressApp.prepare(app, seedDemo: true),
                        try await ExpressApp.prepare(other, seedDemo: true),
                    ]
                }
                #expect(seeded.count { $0 } == 1)
                #expect(try await PartnerModel.query(on: other.db).count() == DemoPartners.all.count)
                #expect(
                    try await UserModel.query(on: app.db).count()
                        == DemoSeeder.users.count + DemoSeeder.monitors.count)
            } catch {
                try? await other.asyncShutdown()
                throw error
            }
            try await other.asyncShutdown()
        }
    }
}
