import Fluent
import Foundation
import IdentityDomain
import Platform
import SQLKit
import Vapor

extension SecondFactorController {
    /// Enrolment: a code from the new secret turns the second factor on and shows the recovery codes once.
    func enrol(req: Request) async throws -> Response {
        let tenant = try OIDCController.tenant(req)
        let form = try req.content.decode(CodeForm.self)
        guard let (challenge, account) = try await challenge(req, tenant: tenant), let sealed = challenge.pendingSecret,
            challenge.verifiedAt == nil, let secret = try service.totpBox().open(sealed, account: challenge.accountID)
        else { return try await expired(req, tenant: tenant) }
        let required = challenge.request != nil
        func again(_ error: String, _ status: HTTPResponseStatus) async throws -> Response {
            try await enrolPage(
                account: account, secret: secret, tenant: tenant, required: required, error: error, status: status,
                req: req)
        }
        guard let csrf = form.csrf, !csrf.isEmpty, csrf == req.cookies[OIDCController.csrfCookie]?.string else {
            return try await again("The form expired. Please enter the code again.", .forbidden)
        }
        if let seconds = try await admitCode(account, tenant: tenant, req: req) {
            return try await throttledCode(seconds) { try await again($0, .tooManyRequests) }
        }
        guard let step = secret.matchingStep(form.code ?? "", at: service.now(), after: nil) else {
            return try await again(
                "That code did not work. Check that the app's account uses this setup key, and enter the code it shows now.",
                .unauthorized)
        }
        let (codes, recoveryCodes) = RecoveryCodes.generate()
        let now = service.now()
        let enrolled = try await service.write { db -> Bool in
            // Only an account without a second factor: enrolment never replaces one already on.
            let updated = try await db.sql.update(AccountModel.schema)
                .set("totp_secret", to: SQLBind(sealed))
                .set("totp_enrolled_at", to: SQLBind(now))
                .set("totp_last_step", to: SQLBind(step))
                .set("recovery_codes", to: SQLBind(recoveryCodes.stored))
                .where("id", .equal, SQLBind(challenge.accountID))
                .where("totp_enrolled_at", .is, SQLLiteral.null)
                .returning("id").all()
            guard !updated.isEmpty else { return false }
            challenge.pendingSecret = nil
            challenge.verifiedAt = now
            try await challenge.update(on: db)
            return true
        }
        guard enrolled else {
            try await service.write { db in
                try await SecondFactorChallengeModel.query(on: db).filter(\.$id == challenge.id!).delete()
            }
            return try await expired(req, tenant: tenant)
        }
        try await codeAccepted(account, tenant: tenant, req: req)
        req.logger.info(
            "second factor turned on",
            metadata: ["tenant": .string(tenant.rawValue), "account_id": .string(challenge.accountID.uuidString)])
        let csrfToken = csrf
        return try await page(
            "second-factor-recovery-codes",
            SecondFactorCodesPage(tenant: tenant.rawValue, csrf: csrfToken, codes: codes),
            csrf: csrfToken, req: req)
    }

    /// After the recovery codes: the sign-in goes on.
    func proceed(req: Request) async throws -> Response {
        let tenant = try OIDCController.tenant(req)
        let form = try req.content.decode(CodeForm.self)
        guard let (challenge, account) = try await challenge(req, tenant: tenant), challenge.verifiedAt != nil else {
            return try await expired(req, tenant: tenant)
        }
        guard let csrf = form.csrf, !csrf.isEmpty, csrf == req.cookies[OIDCController.csrfCookie]?.string else {
            return try await req.message(
                .forbidden, heading: "The form expired",
                message: "Two-step sign-in is on. Go back to the app and sign in again with a code.",
                linkURL: appURL(tenant), linkText: "Back to \(appName(tenant))")
        }
        return try await finish(challenge, account: account, tenant: tenant, req: req)
    }
}
