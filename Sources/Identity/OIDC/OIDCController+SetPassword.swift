import Fluent
import Foundation
import IdentityDomain
import Platform
import SQLKit
import Vapor

/// The set-password page in each of its forms: the form itself, an expired link (with "Send me a new link" when
/// one can be sent), or a link already used.
struct SetPasswordPage: Encodable {
    struct Form: Encodable {
        var token: String
        var email: String
        var error: String?
    }

    struct Expired: Encodable {
        /// The link's token, for "Send me a new link"; nil when only an administrator can help.
        var renewToken: String?
    }

    struct Used: Encodable {
        var signInURL: String
        var forgotURL: String
    }

    var title: String
    var tenant: String
    var csrf: String
    var form: Form?
    var expired: Expired?
    var used: Used?
}

/// What a set-password link can do now.
enum SetPasswordLink {
    case unknown
    case usable(PasswordSetupModel, AccountModel)
    /// Lapsed or replaced; `renewable` when its owner may ask for a new one.
    case expired(renewable: Bool)
    /// Used, or its account's invitation was accepted through a newer link.
    case used
}

extension OIDCController {
    func setupLink(_ token: String, tenant: Tenant) async throws -> SetPasswordLink {
        guard let row = try await PasswordSetupModel.find(Secrets.sha256Hex(token), on: service.db),
            let account = try await AccountModel.find(row.accountID, on: service.db), account.tenant == tenant.rawValue
        else { return .unknown }
        let now = service.now()
        if row.invitation.isUsable(at: now) { return .usable(row, account) }
        let newest = try await service.newestInvitation(of: row.accountID)
        if row.usedAt != nil || Invitation.state(of: newest, at: now) == .accepted { return .used }
        return .expired(renewable: account.active)
    }

    func setPasswordForm(req: Request) async throws -> Response {
        let tenant = try Self.tenant(req)
        let token = req.query[String.self, at: "token"] ?? ""
        let link = token.isEmpty ? .unknown : try await setupLink(token, tenant: tenant)
        guard case .usable(let row, let account) = link else { return try await linkPage(link, token, req: req) }
        if row.openedAt == nil {
            let now = service.now()
            try await service.write { db in
                try await PasswordSetupModel.query(on: db).filter(\.$id == row.id!).filter(\.$openedAt == nil)
                    .set(\.$openedAt, to: now).update()
            }
        }
        return try await page(.init(token: token, email: account.email), req: req)
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
        let token = form.token ?? ""
        let link = token.isEmpty ? .unknown : try await setupLink(token, tenant: tenant)
        guard case .usable(let row, let account) = link else { return try await linkPage(link, token, req: req) }
        func again(_ error: String, _ status: HTTPResponseStatus) async throws -> Response {
            try await page(.init(token: token, email: account.email, error: error), status: status, req: req)
        }
        guard let csrf = form.csrf, !csrf.isEmpty, csrf == req.cookies[Self.csrfCookie]?.string else {
            return try await again("The form expired. Please enter your new password again.", .forbidden)
        }
        let password = form.password ?? ""
        if let problem = service.passwordRules.problem(with: password, email: account.email) {
            return try await again(problem, .badRequest)
        }
        guard password == form.confirm else { return try await again("The two passwords do not match.", .badRequest) }
        let hash = try await service.hashPassword(password)
        let now = service.now()
        let accepted = try await service.write { db -> Bool in
            // Only the request that marks the link used sets the password: a link works once, also when raced.
            let marked = try await db.sql.update(PasswordSetupModel.schema).set("used_at", to: SQLBind(now))
                .where("token_hash", .equal, SQLBind(row.id!)).where("used_at", .is, SQLLiteral.null)
                .returning("token_hash").all()
            guard !marked.isEmpty else { return false }
            try await AccountModel.query(on: db).filter(\.$id == account.id!).set(\.$passwordHash, to: hash).update()
            try await PasswordSetupModel.query(on: db).filter(\.$accountID == account.id!).filter(\.$usedAt == nil)
                .filter(\.$revokedAt == nil).set(\.$revokedAt, to: now).update()
            return true
        }
        guard accepted else { return try await linkPage(.used, token, req: req) }
        try await service.throttle.reset(
            account: SignInThrottleStore.Keys.account(tenant: tenant, email: account.email))
        let app = signInLink(tenant)
        return try await req.message(
            .ok, heading: "Your password is set", message: "You can now sign in with \(account.email).",
            linkURL: app.url, linkText: app.text)
    }

    /// Where the owner of an account of `tenant` signs in.
    func signInLink(_ tenant: Tenant) -> (url: String, text: String) {
        switch tenant {
        case .express: (service.config.expressWebURL, "Go to Express")
        case .patients: (service.config.ossWebURL, "Go to SelfScheduling")
        case .staff: (service.config.consoleWebURL, "Go to Console")
        }
    }

    func page(_ form: SetPasswordPage.Form, status: HTTPResponseStatus = .ok, req: Request) async throws -> Response {
        try await render(SetPasswordPage(title: "Choose your password", tenant: "", csrf: "", form: form), status, req)
    }

    /// Renders `page` for the request's tenant with the CSRF cookie its forms need.
    func render(_ page: SetPasswordPage, _ status: HTTPResponseStatus, _ req: Request) async throws -> Response {
        var page = page
        page.tenant = try Self.tenant(req).rawValue
        page.csrf = req.cookies[Self.csrfCookie]?.string ?? Secrets.randomToken()
        let response = try await req.render("set-password", page, status: status)
        response.cookies[Self.csrfCookie] = HTTPCookies.Value(
            string: page.csrf, maxAge: 3600, path: "/", isSecure: service.config.secureCookies,
            isHTTPOnly: true, sameSite: .strict)
        return response
    }
}
