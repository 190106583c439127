import Fluent
import Foundation
import IdentityDomain
import Platform
import SQLKit
import Vapor

/// The second factor (TOTP, RFC 6238, with recovery codes): the code step at sign-in, enrolment (required for
/// partner admins and staff, offered to everyone else on the security page) and the recovery codes.
struct SecondFactorController: RouteCollection {
    let service: IdentityService

    func boot(routes: any RoutesBuilder) throws {
        let tenant = routes.grouped(":tenant")
        tenant.get("second-factor", use: codeForm)
        tenant.get("second-factor", "recovery", use: recoveryForm)
        tenant.post("second-factor", use: verify)
        tenant.post("second-factor", "enrol", use: enrol)
        tenant.post("second-factor", "continue", use: proceed)
        tenant.get("account", "security", use: security)
        tenant.post("account", "security", use: securitySignIn)
    }

    struct CodeForm: Content {
        var code: String?
        var recoveryCode: String?
        var csrf: String?

        enum CodingKeys: String, CodingKey {
            case code, csrf
            case recoveryCode = "recovery_code"
        }
    }

    func codeForm(req: Request) async throws -> Response {
        let tenant = try OIDCController.tenant(req)
        guard let (challenge, _) = try await challenge(req, tenant: tenant), challenge.pendingSecret == nil,
            challenge.verifiedAt == nil
        else { return try await expired(req, tenant: tenant) }
        return try await codePage(tenant: tenant, recovery: false, req: req)
    }

    func recoveryForm(req: Request) async throws -> Response {
        let tenant = try OIDCController.tenant(req)
        guard let (challenge, _) = try await challenge(req, tenant: tenant), challenge.pendingSecret == nil,
            challenge.verifiedAt == nil
        else { return try await expired(req, tenant: tenant) }
        return try await codePage(tenant: tenant, recovery: true, req: req)
    }

    /// The code step: a code from the app (a step not used before) or an unused recovery code.
    func verify(req: Request) async throws -> Response {
        let tenant = try OIDCController.tenant(req)
        let form = try req.content.decode(CodeForm.self)
        guard let (challenge, account) = try await challenge(req, tenant: tenant), challenge.pendingSecret == nil,
            challenge.verifiedAt == nil, let sealed = account.totpSecret
        else { return try await expired(req, tenant: tenant) }
        let recovery = form.recoveryCode != nil
        func again(_ error: String, _ status: HTTPResponseStatus) async throws -> Response {
            try await codePage(tenant: tenant, recovery: recovery, error: error, status: status, req: req)
        }
        guard let csrf = form.csrf, !csrf.isEmpty, csrf == req.cookies[OIDCController.csrfCookie]?.string else {
            return try await again("The form expired. Please enter the code again.", .forbidden)
        }
        if let seconds = try await admitCode(account, tenant: tenant, req: req) {
            return try await throttledCode(seconds) { try await again($0, .tooManyRequests) }
        }
        guard let totp = try service.totpBox().open(sealed, account: try account.requireID()) else {
            throw Abort(.internalServerError, reason: "The account's TOTP secret does not open with Identity's key.")
        }
        let accepted =
            recovery
            ? try await useRecoveryCode(form.recoveryCode ?? "", account: account)
            : try await useCode(form.code ?? "", totp: totp, account: account)
        guard accepted else {
            req.logger.info(
                "second factor refused",
                metadata: [
                    "tenant": .string(tenant.rawValue), "account_id": .string(account.id!.uuidString),
                    "outcome": recovery ? "bad_recovery_code" : "bad_code",
                ])
            ServiceMetrics.count(
                "second_factor_total",
                [("service", "identity"), ("tenant", tenant.rawValue), ("outcome", "refused")])
            return try await again(recovery ? Self.wrongRecoveryCode : Self.wrongCode, .unauthorized)
        }
        try await codeAccepted(account, tenant: tenant, req: req)
        ServiceMetrics.count(
            "second_factor_total",
            [("service", "identity"), ("tenant", tenant.rawValue), ("outcome", recovery ? "recovery_code" : "code")])
        return try await finish(challenge, account: account, tenant: tenant, req: req)
    }

    /// Records `code`'s step as the last used, only if it is later than the one recorded: of two requests with the
    /// same code, one wins.
    func useCode(_ code: String, totp: TOTP, account: AccountModel) async throws -> Bool {
        guard let step = totp.matchingStep(code, at: service.now(), after: account.totpLastStep) else { return false }
        return try await service.write { db in
            try await !db.sql.update(AccountModel.schema)
                .set("totp_last_step", to: SQLBind(step))
                .where("id", .equal, SQLBind(try account.requireID()))
                .where {
                    $0.where("totp_last_step", .is, SQLLiteral.null).orWhere("totp_last_step", .lessThan, SQLBind(step))
                }
                .returning("id").all().isEmpty
        }
    }

    /// Removes `code` from the account's unused recovery codes, only if they are still those read.
    func useRecoveryCode(_ code: String, account: AccountModel) async throws -> Bool {
        guard let stored = account.recoveryCodes, let rest = RecoveryCodes(stored: stored).using(code) else {
            return false
        }
        return try await service.write { db in
            try await !db.sql.update(AccountModel.schema)
                .set("recovery_codes", to: SQLBind(rest.stored))
                .where("id", .equal, SQLBind(try account.requireID()))
                .where("recovery_codes", .equal, SQLBind(stored))
                .returning("id").all().isEmpty
        }
    }
}
