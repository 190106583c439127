import Foundation
import Vapor

@testable import Platform

extension TestBrowser {
    /// A browser already signed in to `app`: its session is written straight into the session table, as sign-in
    /// would leave it, under the cookie `cookie`. `csrf` is the session's CSRF token, which every form the
    /// browser posts carries unless a test leaves it out.
    package static func signedIn(
        to app: Application, cookie: String, session data: [String: String], csrf: String = "csrf-token",
        at now: Date = Date()
    ) async throws -> TestBrowser {
        let id = WebSession.randomID()
        let row = WebSessionModel()
        row.id = WebSessionMiddleware.hash(id)
        row.data = data.merging(["_csrf": csrf]) { mine, _ in mine }
        row.createdAt = now
        row.lastSeenAt = now
        try await row.create(on: app.db)
        return TestBrowser(app: app, cookies: [cookie: id], formDefaults: ["csrf": csrf])
    }
}
