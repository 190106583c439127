import Foundation
import IdentityDomain
import TestSupport
import Testing
import Vapor

@testable import Identity

extension IdentityHarness {
    /// Answers Identity's second step as the account's owner would with the authenticator app, codes computed
    /// with our ``TOTP``: the code page with the current code (the step after the last one used, moving the
    /// clock on when the window has none left), the enrolment page by reading its setup key and then pressing
    /// Continue under the recovery codes. Any other response is returned as it is.
    func answerSecondFactor(
        _ browser: TestBrowser, _ response: BrowserResponse, tenant: String, email: String
    ) async throws -> BrowserResponse {
        guard response.status == .ok else { return response }
        let csrf = browser.cookie("idp_csrf") ?? ""
        if response.text.contains("action=\"/\(tenant)/second-factor/enrol\"") {
            let bytes = try #require(Base32.decode(Self.setupKey(response.text)))
            let secret = TOTP(secret: bytes)
            let codes = try await browser.send(
                .POST, "/\(tenant)/second-factor/enrol", form: ["code": secret.code(at: clock.now), "csrf": csrf])
            guard codes.status == .ok, codes.text.contains("Save your recovery codes") else { return codes }
            return try await browser.send(.POST, "/\(tenant)/second-factor/continue", form: ["csrf": csrf])
        }
        guard response.text.contains("action=\"/\(tenant)/second-factor\"") else { return response }
        let code = try await nextCode(email: email, tenant: Tenant(rawValue: tenant)!)
        return try await browser.send(.POST, "/\(tenant)/second-factor", form: ["code": code, "csrf": csrf])
    }

    /// The code an enrolled account's app shows for the first step after its last used one.
    func nextCode(email: String, tenant: Tenant) async throws -> String {
        let account = try #require(try await service.account(email: email, tenant: tenant))
        let sealed = try #require(account.totpSecret)
        let totp = try #require(try service.totpBox().open(sealed, account: account.requireID()))
        let now = totp.step(at: clock.now)
        let next = max(now - 1, (account.totpLastStep ?? Int.min) + 1)
        if next > now + 1 { clock.advance(Double(next - now - 1) * totp.period) }
        return totp.code(step: next)
    }

    /// The setup key an enrolment page shows, without its spaces.
    static func setupKey(_ page: String) throws -> String {
        let start = try #require(page.range(of: "<code id=\"setup-key\">"))
        let end = try #require(page.range(of: "</code>", range: start.upperBound..<page.endIndex))
        return page[start.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
    }
}
