import Fluent
import Foundation
import JWTKit
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Platform

/// An app ends every session of a person when the identity provider posts a valid logout token, and only then.
@Suite("Back-channel logout at an app")
struct BackChannelLogoutAppTests {
    let issuer = TestIssuer()

    func logoutToken(
        audience: String = "express-web", subject: String? = "acct-1", event: Bool = true, nonce: String? = nil
    ) async throws -> String {
        let now = Date()
        let claims = LogoutTokenClaims(
            iss: .init(value: issuer.issuer), sub: subject.map { .init(value: $0) }, sid: nil,
            aud: .init(value: [audience]), exp: .init(value: now.addingTimeInterval(120)),
            iat: .init(value: now), jti: .init(value: UUID().uuidString),
            events: event ? ["http://schemas.openid.net/event/backchannel-logout": [:]] : ["other": [:]],
            nonce: nonce)
        return try await issuer.sign(claims)
    }

    func session(_ subject: String, on db: any Database) async throws -> String {
        let row = WebSessionModel()
        let id = WebSession.randomID()
        row.id = WebSessionMiddleware.hash(id)
        row.data = [BackChannelLogout.subjectKey: subject, "user_id": "u"]
        row.createdAt = Date()
        row.lastSeenAt = Date()
        try await row.create(on: db)
        return row.id!
    }

    @Test("a valid logout token ends that person's sessions only; a bad one changes nothing and is 400")
    func endsSessions() async throws {
        try await TestDatabase.withApplication { app, location in
            try app.useDatabase(location)
            app.migrations.add(CreateWebSessions())
            try await app.autoMigrate()
            let party = RelyingParty(
                .init(issuer: issuer.issuer, clientID: "express-web", clientSecret: "x", redirectURI: "http://x"),
                keys: issuer.keySource)
            BackChannelLogout.register(on: app, "auth", "backchannel-logout", relyingParty: party) { app.db }
            let mine = try await session("acct-1", on: app.db)
            let mineElsewhere = try await session("acct-1", on: app.db)
            let theirs = try await session("acct-2", on: app.db)

            func post(_ token: String) async throws -> TestingHTTPResponse {
                var headers = HTTPHeaders()
                headers.contentType = .urlEncodedForm
                return try await app.testing().sendRequest(
                    .POST, "/auth/backchannel-logout", headers: headers,
                    body: ByteBuffer(string: "logout_token=\(token)"))
            }
            for bad in [
                try await logoutToken(audience: "oss-partner-web"), try await logoutToken(event: false),
                try await logoutToken(nonce: "n"), try await logoutToken(subject: nil), "not-a-token",
            ] {
                let refused = try await post(bad)
                #expect(refused.status == .badRequest)
                #expect(refused.headers.first(name: .cacheControl) == "no-store")
            }
            #expect(try await WebSessionModel.query(on: app.db).count() == 3)

            let accepted = try await post(try await logoutToken())
            #expect(accepted.status == .ok)
            let left = try await WebSessionModel.query(on: app.db).all().compactMap(\.id)
            #expect(left == [theirs])
            #expect(!left.contains(mine) && !left.contains(mineElsewhere))
        }
    }
}
