import IdentityDomain
import Vapor

// STUB (issue 16, second-factor owner): TOTP enrolment, the code step at sign-in, recovery codes, per CONTRACTS16.md.
struct SecondFactorController: RouteCollection {
    let service: IdentityService

    func boot(routes: any RoutesBuilder) throws {}
}

extension OIDCController {
    /// Nil to go on to ``finishSignIn``; else the page asking for a code (enrolled) or for enrolment (required but
    /// not enrolled yet).
    func secondFactorStep(
        account: AccountModel, request: AuthorizationRequest, client: ClientModel, tenant: Tenant, req: Request
    ) async throws -> Response? { nil }
}
