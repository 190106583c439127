import Foundation
import IdentityDomain
import Platform
import Vapor

/// The code step at sign-in: the authenticator app's code, or (``recovery``) a recovery code.
struct SecondFactorPage: Encodable {
    var title: String
    var tenant: String
    var csrf: String
    var recovery: Bool
    var error: String?
}

/// Enrolment: the new secret as a setup key and an `otpauth://` link, and the code that proves the app has it.
struct SecondFactorEnrolPage: Encodable {
    var title = "Set up two-step sign-in"
    var tenant: String
    var csrf: String
    var email: String
    var setupKey: String
    var uri: String
    /// Sign-in asks for it (partner admins, staff), rather than the person choosing it on the security page.
    var required: Bool
    var error: String?
}

/// The recovery codes, shown once after enrolment.
struct SecondFactorCodesPage: Encodable {
    var title = "Save your recovery codes"
    var tenant: String
    var csrf: String
    var codes: [String]
}

/// The security page: a password form first when the browser has no session at Identity, else the status.
struct SecondFactorSecurityPage: Encodable {
    var title = "Two-step sign-in"
    var tenant: String
    var tenantName: String
    var csrf: String
    var signIn: Bool
    var email: String
    var recoveryCodesLeft: Int
    var appURL: String
    var appName: String
    var error: String?
}

extension SecondFactorController {
    static let wrongCode = "That code did not work. Enter the code your authenticator app shows now."
    static let wrongRecoveryCode = "That recovery code did not work. Check it, or use another of your codes."

    func csrf(_ req: Request) -> String { req.cookies[OIDCController.csrfCookie]?.string ?? Secrets.randomToken() }

    /// Renders `template`, setting the CSRF cookie the page's form carries when the browser has none yet.
    func page(
        _ template: String, _ context: some Encodable, csrf: String, status: HTTPResponseStatus = .ok, req: Request
    ) async throws -> Response {
        let response = try await req.render(template, context, status: status)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        if req.cookies[OIDCController.csrfCookie]?.string != csrf {
            response.cookies[OIDCController.csrfCookie] = HTTPCookies.Value(
                string: csrf, maxAge: 3600, path: "/", isSecure: service.config.secureCookies, isHTTPOnly: true,
                sameSite: .strict)
        }
        return response
    }

    func codePage(
        tenant: Tenant, recovery: Bool, error: String? = nil, status: HTTPResponseStatus = .ok, req: Request
    ) async throws -> Response {
        let csrf = csrf(req)
        return try await page(
            "second-factor",
            SecondFactorPage(
                title: recovery ? "Enter a recovery code" : "Enter your authentication code", tenant: tenant.rawValue,
                csrf: csrf, recovery: recovery, error: error), csrf: csrf, status: status, req: req)
    }

    func enrolPage(
        account: AccountModel, secret: TOTP, tenant: Tenant, required: Bool, error: String? = nil,
        status: HTTPResponseStatus = .ok, req: Request
    ) async throws -> Response {
        let csrf = csrf(req)
        return try await page(
            "second-factor-enrol",
            SecondFactorEnrolPage(
                tenant: tenant.rawValue, csrf: csrf, email: account.email, setupKey: secret.groupedSecret,
                uri: secret.uri(account: account.email), required: required, error: error), csrf: csrf,
            status: status, req: req)
    }

    /// The same page, 429 and Retry-After, whoever the account is.
    func throttledCode(_ seconds: Int, render: (String) async throws -> Response) async throws -> Response {
        let response = try await render(
            "Too many attempts. Wait \(Self.waitText(seconds)) and try again, or contact your administrator.")
        response.status = .tooManyRequests
        response.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
        return response
    }
}
