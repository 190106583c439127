import Fluent
import Foundation
import Platform
import Vapor

struct SetPasswordPage: Encodable {
    var title = "Choose your password"
    var tenant: String
    var token: String
    var csrf: String
    var email: String
    var error: String?
}

extension OIDCController {
    func setupRow(_ token: String) async throws -> (PasswordSetupModel, AccountModel)? {
        guard let row = try await PasswordSetupModel.find(Secrets.sha256Hex(token), on: service.db), row.usedAt == nil,
            row.expiresAt > service.now(), let account = try await AccountModel.find(row.accountID, on: service.db)
        else { return nil }
        return (row, account)
    }

    func setPasswordForm(req: Request) async throws -> Response {
        let tenant = try Self.tenant(req)
        guard let token = req.query[String.self, at: "token"], let (_, account) = try await setupRow(token) else {
            return try await req.message(
                .notFound, heading: "This link has expired",
                message: "The link to set your password is no longer valid. Ask your administrator to send a new one.")
        }
        let csrf = req.cookies[Self.csrfCookie]?.string ?? Secrets.randomToken()
        let response = try await req.render(
            "set-password",
            SetPasswordPage(
                tenant: tenant.rawValue, token: token, csrf: csrf,
                email: account.email))
        response.cookies[Self.csrfCookie] = HTTPCookies.Value(
            string: csrf, maxAge: 3600, path: "/", isSecure: service.config.secureCookies,
            isHTTPOnly: true, sameSite: .strict)
        return response
    }

    struct SetPasswordForm: Content {
        var token: String?
        var password: String?
        var confirm: String?
        var csrf: String?
    }

    func setPassword(req: Request) async throws -> Response {
        let tenant = try Self.tenant(req)
        let form = try req.content.decode(SetPasswordForm.self)
        guard let token = form.token, let (row, account) = try await setupRow(token) else {
            return try await req.message(
                .notFound, heading: "This link has expired",
                message: "The link to set your password is no longer valid. Ask your administrator to send a new one.")
        }
        func again(_ error: String, _ status: HTTPResponseStatus) async throws -> Response {
            try await req.render(
                "set-password",
                SetPasswordPage(
                    tenant: tenant.rawValue, token: token,
                    csrf: req.cookies[Self.csrfCookie]?.string ?? "", email: account.email,
                    error: error), status: status)
        }
        guard let csrf = form.csrf, csrf == req.cookies[Self.csrfCookie]?.string else {
            return try await again("The form expired. Please enter your new password again.", .forbidden)
        }
        let password = form.password ?? ""
        guard password.count >= 12 else {
            return try await again("Choose a password of at least 12 characters.", .badRequest)
        }
        guard password == form.confirm else { return try await again("The two passwords do not match.", .badRequest) }
        let hash = try await IdentityService.hashPassword(password)
        let now = service.now()
        try await service.write { db in
            try await AccountModel.query(on: db).filter(\.$id == account.id!).set(\.$passwordHash, to: hash).update()
            try await PasswordSetupModel.query(on: db).filter(\.$id == row.id!).set(\.$usedAt, to: now).update()
        }
        try await service.throttle.reset(
            account: SignInThrottleStore.Keys.account(tenant: tenant, email: account.email))
        return try await req.message(
            .ok, heading: "Your password is set",
            message: "You can now sign in with \(account.email).",
            linkURL: tenant == .express ? service.config.expressWebURL : nil,
            linkText: tenant == .express ? "Go to Express" : nil)
    }
}
