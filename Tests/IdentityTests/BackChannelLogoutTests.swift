import Fluent
import Foundation
import TestSupport
import Testing
import Vapor

@testable import Identity
@testable import Platform

/// Signing out at Identity (as Express's sign-out does) tells every app of the tenant, server to server, so OSS
/// ends its session of the same person too (OpenID Connect Back-Channel Logout 1.0).
@Suite("Back-channel logout from Identity")
struct BackChannelLogoutTests {
    /// A stand-in app that records the logout tokens it is sent.
    final class Receiver: @unchecked Sendable {
        private let lock = NSLock()
        private var tokens: [String] = []
        var received: [String] { lock.withLock { tokens } }
        func add(_ token: String) { lock.withLock { tokens.append(token) } }
    }

    @Test("signing out posts a signed logout token naming the person to each app that asked for one")
    func logoutNotifiesApps() async throws {
        let receiver = Receiver()
        let app = try await Application.make(.testing)
        app.post("bcl") { req -> HTTPStatus in
            receiver.add(try req.content.get(String.self, at: "logout_token"))
            return .ok
        }
        let port = try await startOnAnyPort(app)
        do {
            try await IdentityHarness.with { idp in
                let uri = "http://127.0.0.1:\(port)/bcl"
                try await ClientModel.query(on: idp.app.db).set(\.$backchannelLogoutURI, to: nil).update()
                try await ClientModel.query(on: idp.app.db).filter(\.$id ~~ ["express-web", "oss-partner-web"])
                    .set(\.$backchannelLogoutURI, to: uri).update()

                let browser = TestBrowser(app: idp.app)
                let signedIn = try await idp.signIn(browser, .init(), email: "scheduler@sunrise.example")
                #expect(signedIn.status == .seeOther)
                let account = try #require(
                    try await AccountModel.query(on: idp.app.db).filter(\.$email == "scheduler@sunrise.example").first()
                )

                #expect(try await browser.send(.GET, "/express/logout").status == .ok)
                #expect(receiver.received.count == 2)

                let issuer = idp.config.issuer(.express)
                let keys = StaticJWKSSource([issuer: try await idp.service.keys.jwks(now: Date())])
                var audiences: Set<String> = []
                for token in receiver.received {
                    for client in ["express-web", "oss-partner-web"] {
                        let party = RelyingParty(
                            .init(issuer: issuer, clientID: client, clientSecret: "x", redirectURI: "http://x"),
                            keys: keys)
                        if let subject = try? await BackChannelLogout.verify(token, for: party) {
                            #expect(subject == account.id!.uuidString.lowercased())
                            audiences.insert(client)
                        }
                    }
                }
                #expect(audiences == ["express-web", "oss-partner-web"])
            }
        } catch {
            await app.server.shutdown()
            try await app.asyncShutdown()
            throw error
        }
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}
