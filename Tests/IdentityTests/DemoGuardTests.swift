import Foundation
import Platform
import TestSupport
import Testing
import Vapor

@testable import Identity

@Suite("Demo accounts never serve in production")
struct DemoGuardTests {
    @Test("a database holding the demo accounts is recognised; one without them is not")
    func demoAccountsFound() async throws {
        try await IdentityHarness.with { identity in
            let found = try await IdentityApp.demoAccountsPresent(identity.app)
            #expect(found.contains("scheduler@sunrise.example"))
            #expect(found.count == DemoIdentities.accounts.count)
        }
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "identity-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        try await TestDatabase.withApplication { app, location in
            try IdentityApp.configure(
                app, config: IdentityConfig(database: location, dataDirectory: dataDirectory), hook: StubHook([:]))
            try await IdentityApp.prepare(app, seedDemo: false)
            #expect(try await IdentityApp.demoAccountsPresent(app).isEmpty)
        }
    }
}
