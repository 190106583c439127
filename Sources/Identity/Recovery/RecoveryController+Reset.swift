import Fluent
import Foundation
import IdentityDomain
import Platform
import Vapor

extension RecoveryController {
    func expired(_ req: Request, tenant: Tenant) async throws -> Response {
        try await req.message(
            .gone, heading: "This link has expired",
            message: "A link to reset a password works for 30 minutes and only once. Ask for a new one.",
            linkURL: "/\(tenant.rawValue)/forgot-password", linkText: "Send me a new link")
    }

    func resetPage(
        _ req: Request, tenant: Tenant, token: String, email: String, error: String? = nil, field: String? = nil,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        try await service.formPage(req) { csrf in
            try await req.render(
                "reset-password",
                ResetPasswordPage(
                    tenant: tenant.rawValue, token: token, email: email, error: error, errorField: field ?? "",
                    csrf: csrf),
                status: status)
        }
    }

    func resetForm(req: Request) async throws -> Response {
        let tenant = try OIDCController.tenant(req)
        let token = req.query[String.self, at: "token"] ?? ""
        guard let (_, account) = try await service.validToken(token, .reset, tenant: tenant) else {
            return try await expired(req, tenant: tenant)
        }
        return try await resetPage(req, tenant: tenant, token: token, email: account.email)
    }

    struct ResetForm: Content {
        var token: String?
        var password: String?
        var confirm: String?
        var csrf: String?
    }

    private struct AlreadyUsed: Error {}

    /// Sets the new password, spends the link, and ends every session of the account (here and in the apps).
    func reset(req: Request) async throws -> Response {
        let tenant = try OIDCController.tenant(req)
        let form = try req.content.decode(ResetForm.self)
        let token = form.token ?? ""
        guard let (row, account) = try await service.validToken(token, .reset, tenant: tenant) else {
            return try await expired(req, tenant: tenant)
        }
        guard IdentityService.validCSRF(form.csrf, req) else {
            return try await resetPage(
                req, tenant: tenant, token: token, email: account.email,
                error: "This form expired. Please enter your new password again.", field: "password", status: .forbidden
            )
        }
        let password = form.password ?? ""
        if let problem = service.passwordRules.problem(with: password, email: account.email) {
            return try await resetPage(
                req, tenant: tenant, token: token, email: account.email, error: problem, field: "password",
                status: .badRequest)
        }
        guard password == form.confirm else {
            return try await resetPage(
                req, tenant: tenant, token: token, email: account.email, error: "The two passwords do not match.",
                field: "confirm", status: .badRequest)
        }
        let hash = try await service.hashPassword(password)
        let now = service.now()
        do {
            try await service.write { [service] db in
                guard try await service.spend(row, on: db) else { throw AlreadyUsed() }
                try await AccountModel.query(on: db).filter(\.$id == account.id!)
                    .set(\.$passwordHash, to: hash).update()
                // The link reached the inbox, which confirms the address as a sign-up's link would.
                if account.emailVerifiedAt == nil {
                    try await AccountModel.query(on: db).filter(\.$id == account.id!)
                        .set(\.$emailVerifiedAt, to: now).update()
                }
                try await service.voidResetLinks(of: account.id!, on: db)
            }
        } catch is AlreadyUsed {
            return try await expired(req, tenant: tenant)
        }
        try await service.throttle.reset(
            account: SignInThrottleStore.Keys.account(tenant: tenant, email: account.email))
        try await service.endSessions(of: account.id!, tenant: tenant, logger: req.logger)
        req.logger.info(
            "password reset",
            metadata: ["tenant": .string(tenant.rawValue), "account_id": .string(AccountID(account.id!).wire)])
        return try await req.message(
            .ok, heading: "Your password is changed",
            message: "You can now sign in with your new password. You have been signed out everywhere else.",
            linkURL: service.appURL(tenant), linkText: "Sign in")
    }
}
