import Foundation
import IdentityDomain
import Platform
import Vapor

/// "Forgot password?": the email field, with the app's sign-in request carried along.
struct ForgotPasswordPage: Encodable {
    var title = "Reset your password"
    var tenant: String
    var email: String
    var error: String?
    var csrf: String
    var continueQuery: String
    var signInURL: String
}

/// The reset link's form.
struct ResetPasswordPage: Encodable {
    var title = "Choose a new password"
    var tenant: String
    var token: String
    var email: String
    var error: String?
    /// The field the error is about (`password` or `confirm`), or empty.
    var errorField: String
    var csrf: String
}

/// "Check your email" and the other pages about a link on its way, with an optional "Send the link again" form.
struct CheckEmailPage: Encodable {
    var title: String
    var heading: String
    var message: String
    var linkURL: String?
    var linkText: String?
    var resend: ResendForm?

    struct ResendForm: Encodable {
        var tenant: String
        var email: String
        var csrf: String
        var continueQuery: String
    }
}

extension IdentityService {
    /// Where a person signs in to `tenant`'s app: the authorization request they came from when it is still
    /// a valid one (its client and redirect URI registered), else the app's own address.
    func signInURL(_ tenant: Tenant, continueQuery: String?) async throws -> String {
        if let continueQuery, case let request = AuthorizationRequest(query: continueQuery), request.isPresent,
            let client = try await client(request.clientID, tenant: tenant),
            client.redirectURIs.contains(request.redirectURI)
        {
            return "\(config.issuer(tenant))/authorize?\(request.query)"
        }
        return appURL(tenant)
    }

    /// The app of each tenant: Express for partner users, OSS for patients, Console for staff.
    func appURL(_ tenant: Tenant) -> String {
        switch tenant {
        case .express: config.expressWebURL
        case .patients: config.ossWebURL.hasSuffix("/") ? config.ossWebURL : config.ossWebURL + "/"
        case .staff: config.consoleWebURL
        }
    }

    /// The carried authorization request, rewritten from its parts (nil when there is none).
    static func continueQuery(_ raw: String?) -> String? {
        guard let raw, case let request = AuthorizationRequest(query: raw), request.isPresent else { return nil }
        return request.query
    }

    /// Renders a page with a form, reusing the browser's CSRF cookie or setting a new one (as the login page does).
    func formPage(_ req: Request, _ render: (String) async throws -> Response) async throws -> Response {
        let csrf = req.cookies[OIDCController.csrfCookie]?.string ?? Secrets.randomToken()
        let response = try await render(csrf)
        response.cookies[OIDCController.csrfCookie] = HTTPCookies.Value(
            string: csrf, maxAge: 3600, path: "/", isSecure: config.secureCookies, isHTTPOnly: true,
            sameSite: .strict)
        return response
    }

    /// Whether a posted form carries the browser's CSRF cookie.
    static func validCSRF(_ submitted: String?, _ req: Request) -> Bool {
        guard let submitted, !submitted.isEmpty, let cookie = req.cookies[OIDCController.csrfCookie]?.string else {
            return false
        }
        return Secrets.constantTimeEqual(submitted, cookie)
    }
}
