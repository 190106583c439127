import Fluent
import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Platform

@Suite("Browser sessions")
struct WebSessionTests {
    static func with(_ body: (Application, TestClock) async throws -> Void) async throws {
        let clock = TestClock()
        try await TestDatabase.withApplication { app, location in
            try app.useDatabase(location)
            app.migrations.add(CreateWebSessions())
            try await app.migrateDatabase()
            let sessions = app.grouped(
                WebSessionMiddleware(
                    cookieName: "test_session", idleTimeout: 600, absoluteTimeout: 3600,
                    secure: true, now: { clock.now }))
            sessions.get("set", ":value") { req -> String in
                req.webSession["value"] = req.parameters.get("value")
                return "ok"
            }
            sessions.get("get") { req -> String in req.webSession["value"] ?? (req.sessionExpired ? "expired" : "none")
            }
            sessions.get("signin") { req -> String in
                req.webSession.regenerate()
                return "ok"
            }
            sessions.get("signout") { req -> String in
                req.webSession.destroy()
                return "ok"
            }
            sessions.post("form") { req -> String in
                req.webSession.isValidCSRF(try? req.content.get(String.self, at: "csrf")) ? "accepted" : "refused"
            }
            sessions.get("csrf") { req -> String in req.webSession.csrfToken }
            try await body(app, clock)
        }
    }

    static func get(_ app: Application, _ path: String, cookie: String?) async throws -> (String, String?) {
        var headers = HTTPHeaders()
        if let cookie { headers.cookie = ["test_session": .init(string: cookie)] }
        let response = try await app.testing().sendRequest(.GET, path, headers: headers)
        return (response.text, response.headers.setCookie?["test_session"]?.string)
    }

    @Test("the cookie is HttpOnly, SameSite=Lax and Secure, and holds only a random id")
    func cookie() async throws {
        try await Self.with { app, _ in
            let response = try await app.testing().sendRequest(.GET, "/set/hello")
            let header = try #require(response.headers.first(name: .setCookie))
            #expect(header.contains("HttpOnly") && header.contains("SameSite=Lax") && header.contains("Secure"))
            #expect(!header.contains("hello"))
        }
    }

    @Test("data survives between requests; idle and absolute timeouts end the session")
    func timeouts() async throws {
        try await Self.with { app, clock in
            let (_, id) = try await Self.get(app, "/set/hello", cookie: nil)
            let cookie = try #require(id)
            #expect(try await Self.get(app, "/get", cookie: cookie).0 == "hello")
            clock.advance(500)
            #expect(try await Self.get(app, "/get", cookie: cookie).0 == "hello")
            clock.advance(601)
            #expect(try await Self.get(app, "/get", cookie: cookie).0 == "expired")

            let (_, second) = try await Self.get(app, "/set/again", cookie: nil)
            for _ in 0..<6 {
                clock.advance(550)
                #expect(try await Self.get(app, "/get", cookie: second).0 == "again")
            }
            clock.advance(400)
            #expect(try await Self.get(app, "/get", cookie: second).0 == "expired")
        }
    }

    @Test("signing in gives the session a new id and the old one stops working")
    func regenerate() async throws {
        try await Self.with { app, _ in
            let old = try #require(try await Self.get(app, "/set/hello", cookie: nil).1)
            let new = try #require(try await Self.get(app, "/signin", cookie: old).1)
            #expect(new != old)
            #expect(try await Self.get(app, "/get", cookie: new).0 == "hello")
            #expect(try await Self.get(app, "/get", cookie: old).0 != "hello")
        }
    }

    @Test("signing out deletes the session")
    func destroy() async throws {
        try await Self.with { app, _ in
            let id = try #require(try await Self.get(app, "/set/hello", cookie: nil).1)
            _ = try await Self.get(app, "/signout", cookie: id)
            #expect(try await Self.get(app, "/get", cookie: id).0 != "hello")
        }
    }

    @Test("a form is accepted only with the session's CSRF token")
    func csrf() async throws {
        try await Self.with { app, _ in
            let (token, id) = try await Self.get(app, "/csrf", cookie: nil)
            var headers = HTTPHeaders()
            headers.cookie = ["test_session": .init(string: try #require(id))]
            headers.contentType = .urlEncodedForm
            let good = try await app.testing().sendRequest(
                .POST, "/form", headers: headers, body: ByteBuffer(string: "csrf=\(token)"))
            #expect(good.text == "accepted")
            let bad = try await app.testing().sendRequest(
                .POST, "/form", headers: headers, body: ByteBuffer(string: "csrf=forged"))
            #expect(bad.text == "refused")
        }
    }

    @Test("a page soon after the last does not rewrite the session; changed data or a stale deadline does")
    func touchThrottle() async throws {
        try await Self.with { app, clock in
            let id = try #require(try await Self.get(app, "/set/hello", cookie: nil).1)
            func lastSeen() async throws -> Date {
                try #require(try await WebSessionModel.find(WebSessionMiddleware.hash(id), on: app.db)).lastSeenAt
            }
            let created = try await lastSeen()
            clock.advance(30)
            #expect(try await Self.get(app, "/get", cookie: id).0 == "hello")
            #expect(try await lastSeen() == created)
            clock.advance(31)
            #expect(try await Self.get(app, "/get", cookie: id).0 == "hello")
            #expect(try await lastSeen() == created.addingTimeInterval(61))
            clock.advance(5)
            _ = try await Self.get(app, "/set/changed", cookie: id)
            #expect(try await Self.get(app, "/get", cookie: id).0 == "changed")
            #expect(try await lastSeen() == created.addingTimeInterval(66))
        }
    }
}
