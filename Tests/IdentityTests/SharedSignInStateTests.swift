import Foundation
import IdentityDomain
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Identity

@Suite("Identity instances on one database share sign-in state")
struct SharedSignInStateTests {
    typealias Harness = IdentityHarness

    @Test("a code issued after a two-step sign-in at one instance is redeemed at the other")
    func codeAcrossInstances() async throws {
        try await Harness.withSharedSealingKey { idp in
            try await idp.withInstanceElsewhere { other in
                let request = Harness.AuthRequest()
                // The second step opens the TOTP secret the first instance sealed when it seeded the account.
                let response = try await idp.signIn(TestBrowser(app: other), request, email: "admin@sunrise.example")
                let code = try #require(redirectQuery(response)["code"], "\(response.status) \(response.text)")
                let tokens = try await idp.exchange(code, request)
                #expect(tokens.status == .ok, "\(tokens.text)")
                #expect(tokens.object["id_token"] is String)
                // Redeemed once, wherever it is presented again.
                #expect(try await idp.exchange(code, request).object["error"] as? String == "invalid_grant")
            }
        }
    }

    @Test("a lock-out earned at one instance holds at the other")
    func lockOutAcrossInstances() async throws {
        try await Harness.withSharedSealingKey { idp in
            try await idp.withInstanceElsewhere { other in
                for _ in 0..<5 {
                    let wrong = try await idp.signIn(
                        TestBrowser(app: other), Harness.AuthRequest(), email: "admin@sunrise.example",
                        password: "wrong-guess")
                    #expect(wrong.status == .unauthorized)
                }
                let right = try await idp.signIn(
                    TestBrowser(app: idp.app), Harness.AuthRequest(), email: "admin@sunrise.example",
                    secondFactor: false)
                #expect(right.status == .tooManyRequests)
            }
        }
    }
}
