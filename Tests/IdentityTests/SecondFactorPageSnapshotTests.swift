import Foundation
import TestSupport
import Testing
import Vapor

@testable import Identity

/// The second factor's pages exactly as a user sees them (re-record with `SNAPSHOT_RECORD=1`).
@Suite("Identity's second-factor pages")
struct SecondFactorPageSnapshotTests {
    /// The new secret differs per run: its setup key and the URI carrying it.
    static let secret: [(pattern: String, with: String)] = [
        (#"<code id="setup-key">[A-Z2-7 ]+</code>"#, #"<code id="setup-key"><setup key></code>"#),
        (#"secret=[A-Z2-7]+"#, "secret=<setup key>"),
    ]

    @Test("the code page, its recovery-code form, a wrong code, and the enrolment page")
    func pages() async throws {
        try await IdentityHarness.with { idp in
            let browser = TestBrowser(app: idp.app)
            let code = try await idp.signIn(
                browser, PageSnapshotTests.request, email: "admin@sunrise.example", secondFactor: false)
            expectSnapshot(code, named: "second-factor-code.html")
            expectSnapshot(
                try await browser.send(.GET, "/express/second-factor/recovery"),
                named: "second-factor-recovery-code.html")
            let wrong = try await browser.send(
                .POST, "/express/second-factor", form: ["code": "000000", "csrf": browser.cookie("idp_csrf") ?? ""])
            expectSnapshot(wrong, named: "second-factor-wrong-code.html")

            try await SecondFactorTests.newAdmin(idp)
            let enrol = try await idp.signIn(
                TestBrowser(app: idp.app), PageSnapshotTests.request, email: "ada@sunrise.example",
                secondFactor: false)
            expectSnapshot(enrol, named: "second-factor-enrol.html", replacing: Self.secret)
        }
    }
}
