import Foundation
import IdentityDomain
import Platform
import Vapor
import Vocabulary

extension OIDCController {
    /// Nil to go on to ``finishSignIn``; else the page asking for a code (enrolled) or for enrolment (required but
    /// not enrolled yet).
    func secondFactorStep(
        account: AccountModel, request: AuthorizationRequest, client: ClientModel, tenant: Tenant, req: Request
    ) async throws -> Response? {
        let controller = SecondFactorController(service: service)
        if account.totpEnrolledAt != nil, account.totpSecret != nil {
            let (token, _) = try await controller.startChallenge(
                account: account, tenant: tenant, request: request, pending: nil)
            let response = try await controller.codePage(tenant: tenant, recovery: false, req: req)
            controller.setCookie(token, tenant: tenant, on: response)
            return response
        }
        switch try await secondFactorRequired(account: account, tenant: tenant, req: req) {
        case .some(false): return nil
        case nil:
            return try await req.message(
                .serviceUnavailable, heading: "Sign-in is unavailable",
                message: "We could not confirm your Express account just now. Please try again in a minute.")
        case .some(true):
            let secret = TOTP.random()
            let (token, _) = try await controller.startChallenge(
                account: account, tenant: tenant, request: request, pending: secret)
            let response = try await controller.enrolPage(
                account: account, secret: secret, tenant: tenant, required: true, req: req)
            controller.setCookie(token, tenant: tenant, on: response)
            return response
        }
    }

    /// Every staff account must have the second factor, and every partner admin (as the post-login hook names
    /// them); nil when the hook cannot say, so sign-in fails closed.
    func secondFactorRequired(account: AccountModel, tenant: Tenant, req: Request) async throws -> Bool? {
        switch tenant {
        case .staff: return true
        case .patients: return false
        case .express:
            switch try await hookDecision(account.email, req: req) {
            case .allow(let claims): return claims.roles.contains(PartnerRole.admin.rawValue)
            // The hook refuses again when the sign-in completes, with its message.
            case .refuse: return false
            case nil: return nil
            }
        }
    }
}
