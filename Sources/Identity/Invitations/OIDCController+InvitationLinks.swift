import Fluent
import Foundation
import IdentityDomain
import Platform
import Vapor

extension OIDCController {
    /// "Send me a new link" on an expired link's page: at most three per link an hour, whoever asks.
    static let renewalThrottle = ThrottlePolicy(freeAttempts: 3, firstDelay: 3600, maxDelay: 3600, forgetAfter: 3600)

    /// The page of a link that cannot set a password (any more).
    func linkPage(_ link: SetPasswordLink, _ token: String, req: Request) async throws -> Response {
        let tenant = try Self.tenant(req)
        switch link {
        case .unknown, .usable:
            return try await req.message(
                .notFound, heading: "This link has expired",
                message: "The link to set your password is no longer valid. Ask your administrator to send a new one.")
        case .expired(let renewable):
            return try await render(
                SetPasswordPage(
                    title: "This link has expired", tenant: "", csrf: "",
                    expired: .init(renewToken: renewable ? token : nil)), .gone, req)
        case .used:
            return try await render(
                SetPasswordPage(
                    title: "This link was already used", tenant: "", csrf: "",
                    used: .init(
                        signInURL: signInLink(tenant).url,
                        forgotURL: "\(service.config.issuer(tenant))/forgot-password")), .gone, req)
        }
    }

    struct RenewForm: Content {
        var token: String?
        var csrf: String?
    }

    /// Emails a new link to the address on file of an expired link's account; the answer never shows the address.
    func renewInvitation(req: Request) async throws -> Response {
        let tenant = try Self.tenant(req)
        let form = try req.content.decode(RenewForm.self)
        let token = form.token ?? ""
        guard let csrf = form.csrf, !csrf.isEmpty, csrf == req.cookies[Self.csrfCookie]?.string else {
            return try await req.message(
                .forbidden, heading: "The form expired",
                message: "Open the link from your email again and choose “Send me a new link”.")
        }
        let key = "invite:" + Secrets.sha256Hex(token)
        if let retry = try await service.throttle.admit([(key, Self.renewalThrottle)], now: service.now()) {
            let response = try await req.message(
                .tooManyRequests, heading: "Please wait",
                message: "We have sent new links for this one several times already. Try again in an hour.")
            let seconds = max(Int(retry.timeIntervalSince(service.now()).rounded(.up)), 1)
            response.headers.replaceOrAdd(name: .retryAfter, value: "\(seconds)")
            return response
        }
        let link = token.isEmpty ? .unknown : try await setupLink(token, tenant: tenant)
        switch link {
        case .usable:
            return req.redirect(to: "/\(tenant.rawValue)/set-password?token=\(token)", redirectType: .normal)
        case .unknown, .used, .expired(renewable: false):
            return try await linkPage(link, token, req: req)
        case .expired(renewable: true):
            guard let row = try await PasswordSetupModel.find(Secrets.sha256Hex(token), on: service.db),
                let account = try await AccountModel.find(row.accountID, on: service.db)
            else { return try await linkPage(.unknown, token, req: req) }
            _ = try await service.write { [service] db in
                try await service.issueInvitation(
                    for: account,
                    email: { .newInvitationLink(tenant: tenant, name: account.name, url: $0, lifetime: $1) }, on: db)
            }
            ManagementAPIHandler.log("invitation renewed by its owner", account: account, changes: ["invitation"])
            return try await req.message(
                .ok, heading: "Check your email", message: "We have sent a new link to the address on file.")
        }
    }
}
