import Fluent
import Foundation
import IdentityDomain
import Platform
import Vapor

extension SignUpController {
    private struct AlreadyUsed: Error {}

    /// The emailed link: confirms the address, then sends the person back to the app's sign-in.
    func verify(req: Request) async throws -> Response {
        let tenant = try Self.patients(req)
        let token = req.query[String.self, at: "token"] ?? ""
        let expired = {
            try await req.message(
                .gone, heading: "This link has expired",
                message:
                    "A link to confirm an email address works for 24 hours and only once. Sign in to ask for a new one.",
                linkURL: service.appURL(tenant), linkText: "Sign in")
        }
        guard let (row, account) = try await service.validToken(token, .verify, tenant: tenant) else {
            return try await expired()
        }
        let now = service.now()
        do {
            try await service.write { [service] db in
                guard try await service.spend(row, on: db) else { throw AlreadyUsed() }
                try await AccountModel.query(on: db).filter(\.$id == account.id!).filter(\.$emailVerifiedAt == nil)
                    .set(\.$emailVerifiedAt, to: now).update()
            }
        } catch is AlreadyUsed {
            return try await expired()
        }
        req.logger.info(
            "email confirmed",
            metadata: ["tenant": .string(tenant.rawValue), "account_id": .string(AccountID(account.id!).wire)])
        return try await req.message(
            .ok, heading: "Your email is confirmed", message: "Thank you. You can now sign in.",
            // The app's own address starts a fresh sign-in: the request the sign-up began from may be spent (an
            // attempt to sign in before confirming) or belong to another browser than the one the email opened in.
            linkURL: service.appURL(tenant), linkText: "Continue")
    }

    struct ResendForm: Content {
        var email: String?
        var csrf: String?
        var `continue`: String?
    }

    /// "Send the link again": the same answer and work (one token row, one email) for any address.
    func resend(req: Request) async throws -> Response {
        let tenant = try Self.patients(req)
        let form = try req.content.decode(ResendForm.self)
        let email = (form.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard IdentityService.validCSRF(form.csrf, req), MailAddress(address: email).isValid else {
            return try await req.message(
                .forbidden, heading: "This form expired",
                message: "Sign in again to ask for a new link.", linkURL: service.appURL(tenant), linkText: "Sign in")
        }
        if let retry = try await service.admitMail(.verify, tenant: tenant, email: email, req: req) {
            return try await service.tooManyEmails(retry: retry, req: req)
        }
        let continueQuery = IdentityService.continueQuery(form.continue)
        let account = try await service.account(email: email, tenant: tenant)
        let issuer = service.config.issuer(tenant)
        let signIn = try await service.signInURL(tenant, continueQuery: continueQuery)
        try await service.write { [service] db in
            if let account, account.emailVerifiedAt == nil {
                let token = try await service.issueToken(
                    .verify, account: account.id, tenant: tenant, continueQuery: continueQuery, on: db)
                try await service.queue(
                    .verify(name: account.name, link: "\(issuer)/verify-email?token=\(token)"),
                    to: MailAddress(name: account.name, address: account.email), on: db)
            } else {
                _ = try await service.issueToken(
                    .verify, account: nil, tenant: tenant, continueQuery: continueQuery, on: db)
                try await service.queue(.nothingToConfirm(signIn: signIn), to: MailAddress(address: email), on: db)
            }
        }
        return try await req.render(
            "check-email",
            CheckEmailPage(
                title: "Check your email", heading: "Check your email",
                message: "We have sent a new link to confirm your email address. It works for 24 hours.",
                linkURL: signIn, linkText: "Back to sign-in"))
    }
}

extension OIDCController {
    /// Nil to go on; a page that asks the person to confirm their email first (a patient who signed up and has
    /// not opened the link yet). Accounts made by an administrator, a seed or the configuration file are never
    /// asked: they have no sign-up link.
    func verificationStep(account: AccountModel, tenant: Tenant, req: Request) async throws -> Response? {
        guard tenant == .patients, account.emailVerifiedAt == nil,
            try await AccountTokenModel.query(on: service.db).filter(\.$accountID == account.id!)
                .filter(\.$purpose == AccountTokenModel.Purpose.verify.rawValue).first() != nil
        else { return nil }
        let request = Self.authorizationRequest { try? req.content.get(String.self, at: $0) }
        return try await service.formPage(req) { csrf in
            try await req.render(
                "check-email",
                CheckEmailPage(
                    title: "Confirm your email first", heading: "Confirm your email first",
                    message:
                        "We sent you a link when you created your account. Open it to confirm your email address, then sign in.",
                    resend: .init(
                        tenant: tenant.rawValue, email: account.email, csrf: csrf,
                        continueQuery: request.isPresent ? request.query : "")),
                status: .forbidden)
        }
    }
}
