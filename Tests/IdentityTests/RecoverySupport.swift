import Fluent
import Foundation
import Platform
import TestSupport
import Testing
import Vapor

@testable import Identity

/// What the recovery and sign-up tests need beside the harness: the forms posted as a browser posts them, and
/// the emails Identity queued.
extension IdentityHarness {
    /// Opens `path` (a page with a form) for its CSRF cookie, then posts `form` to `action` with it.
    func submit(_ browser: TestBrowser, page path: String, to action: String, _ form: [String: String]) async throws
        -> BrowserResponse
    {
        _ = try await browser.send(.GET, path)
        var fields = form
        fields["csrf"] = fields["csrf"] ?? browser.cookie("idp_csrf") ?? ""
        return try await browser.send(.POST, action, form: fields)
    }

    /// Asks for a reset link for `email` at `tenant`'s "Forgot password?" page.
    func forgot(_ email: String, tenant: String = "express", browser: TestBrowser? = nil) async throws
        -> BrowserResponse
    {
        try await submit(
            browser ?? TestBrowser(app: app), page: "/\(tenant)/forgot-password", to: "/\(tenant)/forgot-password",
            ["email": email])
    }

    /// The path of the link in `mail` that goes to `route` (`reset-password`, `verify-email`), without the issuer's origin.
    func link(in mail: MailMessage, to route: String, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> String
    {
        let line = try #require(
            mail.text.split(separator: "\n").first { $0.contains("/\(route)?token=") }, sourceLocation: sourceLocation)
        return String(line.dropFirst("http://localhost:8083".count))
    }

    func tokenRows() async throws -> Int { try await AccountTokenModel.query(on: app.db).count() }

    /// No app hears about logouts in these tests (the demo clients' back-channel URIs name servers that are not running).
    func withoutBackChannel() async throws {
        try await ClientModel.query(on: app.db).set(\.$backchannelLogoutURI, to: nil).update()
    }
}

extension BrowserResponse {
    /// The body with the page's CSRF token blanked, for comparing two answers.
    var comparableText: String {
        text.replacing(/name="csrf" value="[^"]*"/, with: "name=\"csrf\" value=\"\"")
    }
}
