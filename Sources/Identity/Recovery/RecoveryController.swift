import Vapor

// STUB (issue 16, recovery/sign-up owner): "Forgot password?" and the reset link, per CONTRACTS16.md.
struct RecoveryController: RouteCollection {
    let service: IdentityService

    func boot(routes: any RoutesBuilder) throws {}
}
