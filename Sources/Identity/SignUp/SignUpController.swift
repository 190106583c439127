import Fluent
import Foundation
import Platform
import Vapor

/// Patients create their own accounts and confirm their email address; the other tenants' accounts come from
/// their administrators.
struct SignUpController: RouteCollection {
    let service: IdentityService

    func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.grouped(":tenant")
        tenant.get("sign-up", use: signUpForm)
        tenant.post("sign-up", use: signUp)
        tenant.get("verify-email", use: verify)
        tenant.post("verify-email", "resend", use: resend)
    }

    /// Sign-up is for the patients tenant only.
    static func patients(_ req: Request) throws -> Tenant {
        guard try OIDCController.tenant(req) == .patients else {
            throw Abort(.notFound, reason: "Only patients and families create their own accounts.")
        }
        return .patients
    }

    struct SignUpForm: Content {
        var name: String?
        var email: String?
        var password: String?
        var confirm: String?
        var csrf: String?
        var `continue`: String?
    }

    func page(
        _ req: Request, form: SignUpForm, error: String? = nil, field: String = "", status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let continueQuery = IdentityService.continueQuery(form.continue)
        let signIn = try await service.signInURL(.patients, continueQuery: continueQuery)
        return try await service.formPage(req) { csrf in
            try await req.render(
                "sign-up",
                SignUpPage(
                    tenant: Tenant.patients.rawValue, name: form.name ?? "", email: form.email ?? "", error: error,
                    errorField: field, csrf: csrf, continueQuery: continueQuery ?? "", signInURL: signIn),
                status: status)
        }
    }

    func signUpForm(req: Request) async throws -> Response {
        _ = try Self.patients(req)
        let request = OIDCController.authorizationRequest { req.query[String.self, at: $0] }
        return try await page(req, form: SignUpForm(continue: request.isPresent ? request.query : nil))
    }

    /// "Check your email" for a new address and for one that has an account already (whose owner is told so by
    /// email), after the same work: a password hash, one token row, one email.
    func signUp(req: Request) async throws -> Response {
        let tenant = try Self.patients(req)
        var form = try req.content.decode(SignUpForm.self)
        // One line of text: the name also stands in the confirmation email's To header.
        let name = (form.name ?? "").split(whereSeparator: { $0.isNewline || $0.isWhitespace }).joined(separator: " ")
            .filter { character in !character.unicodeScalars.contains { $0.properties.generalCategory == .control } }
        let email = (form.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        form.email = email
        let password = form.password ?? ""
        guard IdentityService.validCSRF(form.csrf, req) else {
            return try await page(
                req, form: form, error: "This form expired. Please enter your password again.", field: "password",
                status: .forbidden)
        }
        guard !name.isEmpty, name.count <= 200 else {
            return try await page(req, form: form, error: "Enter your name.", field: "name", status: .badRequest)
        }
        guard MailAddress(address: email).isValid else {
            return try await page(
                req, form: form, error: "Enter your email address, for example name@example.com.", field: "email",
                status: .badRequest)
        }
        if let problem = service.passwordRules.problem(with: password, email: email) {
            return try await page(req, form: form, error: problem, field: "password", status: .badRequest)
        }
        guard password == form.confirm else {
            return try await page(
                req, form: form, error: "The two passwords do not match.", field: "confirm", status: .badRequest)
        }
        if let retry = try await service.admitMail(.verify, tenant: tenant, email: email, req: req) {
            return try await service.tooManyEmails(retry: retry, req: req)
        }
        let continueQuery = IdentityService.continueQuery(form.continue)
        let hash = try await service.hashPassword(password)
        let existing = try await service.account(email: email, tenant: tenant)
        let issuer = service.config.issuer(tenant)
        let now = service.now()
        try await service.write { [service] db in
            if let existing {
                _ = try await service.issueToken(
                    .verify, account: nil, tenant: tenant, continueQuery: continueQuery, on: db)
                let forgot = "\(issuer)/forgot-password" + (continueQuery.map { "?\($0)" } ?? "")
                try await service.queue(
                    .alreadyRegistered(name: existing.name, forgotPassword: forgot),
                    to: MailAddress(name: existing.name, address: existing.email), on: db)
            } else {
                let account = AccountModel(tenant: tenant, email: email, name: name, passwordHash: hash, at: now)
                account.emailVerifiedAt = nil
                try await account.create(on: db)
                let token = try await service.issueToken(
                    .verify, account: account.id, tenant: tenant, continueQuery: continueQuery, on: db)
                try await service.queue(
                    .verify(name: name, link: "\(issuer)/verify-email?token=\(token)"),
                    to: MailAddress(name: name, address: email), on: db)
            }
        }
        req.logger.info("sign-up", metadata: ["tenant": .string(tenant.rawValue)])
        return try await req.render(
            "check-email",
            CheckEmailPage(
                title: "Check your email", heading: "Check your email",
                message: "We have sent a link to confirm your email address. It works for 24 hours.",
                linkURL: try await service.signInURL(tenant, continueQuery: continueQuery),
                linkText: "Back to sign-in"))
    }
}
