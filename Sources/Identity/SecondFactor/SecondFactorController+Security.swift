import Foundation
import IdentityDomain
import Platform
import Vapor

/// `/<tenant>/account/security`: anyone may turn the second factor on here. The browser's session at Identity
/// says who they are; without one the page asks for the password first (throttled as sign-in is).
extension SecondFactorController {
    struct SecurityForm: Content {
        var email: String?
        var password: String?
        var csrf: String?
    }

    func security(req: Request) async throws -> Response {
        let tenant = try OIDCController.tenant(req)
        if let session = try await OIDCController(service: service).ssoSession(req, tenant: tenant),
            let account = try await AccountModel.find(session.accountID, on: service.db), account.active
        {
            return try await securityStatus(account, tenant: tenant, req: req)
        }
        return try await securitySignInPage(tenant: tenant, email: "", error: nil, status: .ok, req: req)
    }

    func securitySignIn(req: Request) async throws -> Response {
        let tenant = try OIDCController.tenant(req)
        let form = try req.content.decode(SecurityForm.self)
        let email = (form.email ?? "").trimmingCharacters(in: .whitespaces)
        func again(_ error: String, _ status: HTTPResponseStatus) async throws -> Response {
            try await securitySignInPage(tenant: tenant, email: email, error: error, status: status, req: req)
        }
        guard let csrf = form.csrf, !csrf.isEmpty, csrf == req.cookies[OIDCController.csrfCookie]?.string else {
            return try await again("The form expired. Please enter your password again.", .forbidden)
        }
        guard !email.isEmpty, let password = form.password, !password.isEmpty else {
            return try await again("Enter your email and password.", .badRequest)
        }
        let now = service.now()
        let keys = SignInThrottleStore.Keys(
            tenant: tenant, email: email, address: req.remoteAddress?.ipAddress ?? "unknown")
        if let retry = try await service.throttle.admit(
            [
                (keys.pair, service.config.accountAtAddressThrottle),
                (keys.account, service.config.accountThrottle),
                (keys.address, service.config.addressThrottle),
            ], now: now)
        {
            let seconds = max(1, Int(retry.timeIntervalSince(now).rounded()))
            return try await throttledCode(seconds) { try await again($0, .tooManyRequests) }
        }
        let account = try await service.account(email: email, tenant: tenant)
        let valid = try await service.verifyPassword(password, hash: account?.passwordHash)
        guard let account, valid, account.active else {
            return try await again("That email and password do not match. Check them and try again.", .unauthorized)
        }
        try await service.throttle.reset(account: keys.account)
        try await service.throttle.refund(keys.address, policy: service.config.addressThrottle)
        return try await securityStatus(account, tenant: tenant, req: req)
    }

    /// Enrolment when the account has no second factor yet; else that it is on.
    func securityStatus(_ account: AccountModel, tenant: Tenant, req: Request) async throws -> Response {
        guard account.totpEnrolledAt != nil else {
            let secret = TOTP.random()
            let (token, _) = try await startChallenge(account: account, tenant: tenant, request: nil, pending: secret)
            let response = try await enrolPage(
                account: account, secret: secret, tenant: tenant, required: false, req: req)
            setCookie(token, tenant: tenant, on: response)
            return response
        }
        let csrf = csrf(req)
        return try await page(
            "second-factor-security",
            SecondFactorSecurityPage(
                tenant: tenant.rawValue, tenantName: tenant.displayName, csrf: csrf, signIn: false,
                email: account.email, recoveryCodesLeft: RecoveryCodes(stored: account.recoveryCodes).hashes.count,
                appURL: appURL(tenant), appName: appName(tenant)), csrf: csrf, req: req)
    }

    func securitySignInPage(
        tenant: Tenant, email: String, error: String?, status: HTTPResponseStatus, req: Request
    ) async throws -> Response {
        let csrf = csrf(req)
        return try await page(
            "second-factor-security",
            SecondFactorSecurityPage(
                tenant: tenant.rawValue, tenantName: tenant.displayName, csrf: csrf, signIn: true, email: email,
                recoveryCodesLeft: 0, appURL: appURL(tenant), appName: appName(tenant), error: error), csrf: csrf,
            status: status, req: req)
    }
}
