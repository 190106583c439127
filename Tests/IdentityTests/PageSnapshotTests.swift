import Foundation
import TestSupport
import Testing
import Vapor

@testable import Identity

/// The sign-in page exactly as a user sees it: a change is a visible diff in `Resources/Snapshots`
/// (re-record with `SNAPSHOT_RECORD=1`).
@Suite("Identity's pages")
struct PageSnapshotTests {
    /// An authorization request whose state, nonce and PKCE challenge are the same every run.
    static let request: IdentityHarness.AuthRequest = {
        var request = IdentityHarness.AuthRequest()
        request.state = "snapshot-state"
        request.nonce = "snapshot-nonce"
        request.verifier = String(repeating: "snapshot-verifier-", count: 3)
        return request
    }()

    @Test("the sign-in page, and the same page after a wrong password")
    func signIn() async throws {
        try await IdentityHarness.with { idp in
            let browser = TestBrowser(app: idp.app)
            let page = try await browser.send(.GET, Self.request.authorizePath)
            expectSnapshot(page, named: "sign-in.html")
            let refused = try await idp.signIn(
                browser, Self.request, email: "scheduler@sunrise.example", password: "not-the-password")
            expectSnapshot(refused, named: "sign-in-wrong-password.html")
        }
    }
}
