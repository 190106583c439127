import Vapor

// STUB (issue 16, recovery/sign-up owner): patients' sign-up and email verification, per CONTRACTS16.md.
struct SignUpController: RouteCollection {
    let service: IdentityService

    func boot(routes: any RoutesBuilder) throws {}
}

extension OIDCController {
    /// Nil to go on; a page that asks the person to confirm their email first (patients tenant, unverified).
    func verificationStep(account: AccountModel, tenant: Tenant, req: Request) async throws -> Response? { nil }
}
