import Fluent
import Foundation
import Platform
import Vapor

/// "Forgot password?" on every tenant's sign-in, and the emailed link that sets a new password.
struct RecoveryController: RouteCollection {
    let service: IdentityService

    func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.grouped(":tenant")
        tenant.get("forgot-password", use: forgotForm)
        tenant.post("forgot-password", use: forgot)
        tenant.get("reset-password", use: resetForm)
        tenant.post("reset-password", use: reset)
    }

    func forgotPage(
        _ req: Request, tenant: Tenant, email: String, error: String?, continueQuery: String?,
        status: HTTPResponseStatus
    ) async throws -> Response {
        let signIn = try await service.signInURL(tenant, continueQuery: continueQuery)
        return try await service.formPage(req) { csrf in
            try await req.render(
                "forgot-password",
                ForgotPasswordPage(
                    tenant: tenant.rawValue, email: email, error: error, csrf: csrf,
                    continueQuery: continueQuery ?? "", signInURL: signIn), status: status)
        }
    }

    func forgotForm(req: Request) async throws -> Response {
        let tenant = try OIDCController.tenant(req)
        let request = OIDCController.authorizationRequest { req.query[String.self, at: $0] }
        return try await forgotPage(
            req, tenant: tenant, email: "", error: nil,
            continueQuery: request.isPresent ? request.query : nil, status: .ok)
    }

    struct ForgotForm: Content {
        var email: String?
        var csrf: String?
        var `continue`: String?
    }

    /// The same answer, after the same work (one token row, one email), whether or not the address has an account.
    func forgot(req: Request) async throws -> Response {
        let tenant = try OIDCController.tenant(req)
        let form = try req.content.decode(ForgotForm.self)
        let continueQuery = IdentityService.continueQuery(form.continue)
        let email = (form.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard IdentityService.validCSRF(form.csrf, req) else {
            return try await forgotPage(
                req, tenant: tenant, email: email, error: "This form expired. Please enter your email again.",
                continueQuery: continueQuery, status: .forbidden)
        }
        guard MailAddress(address: email).isValid else {
            return try await forgotPage(
                req, tenant: tenant, email: email,
                error: "Enter your email address, for example name@example.com.",
                continueQuery: continueQuery, status: .badRequest)
        }
        if let retry = try await service.admitMail(.reset, tenant: tenant, email: email, req: req) {
            return try await service.tooManyEmails(retry: retry, req: req)
        }
        let account = try await service.account(email: email, tenant: tenant)
        let issuer = service.config.issuer(tenant)
        try await service.write { [service] db in
            let token = try await service.issueToken(.reset, account: account?.id, tenant: tenant, on: db)
            if let account {
                try await service.queue(
                    .reset(name: account.name, link: "\(issuer)/reset-password?token=\(token)"),
                    to: MailAddress(name: account.name, address: account.email), on: db)
            } else {
                try await service.queue(
                    .noAccount(signUp: tenant == .patients ? "\(issuer)/sign-up" : nil),
                    to: MailAddress(address: email), on: db)
            }
        }
        req.logger.info("password reset asked", metadata: ["tenant": .string(tenant.rawValue)])
        return try await req.render(
            "check-email",
            CheckEmailPage(
                title: "Check your email", heading: "Check your email",
                message:
                    "If an account uses this address, we have sent a link to reset its password. It works for 30 minutes.",
                linkURL: try await service.signInURL(tenant, continueQuery: continueQuery),
                linkText: "Back to sign-in"))
    }
}
