import Vapor

extension OIDCController {
    /// Tells every app of `tenant` that `account` signed out (OpenID Connect Back-Channel Logout 1.0): one
    /// implementation, ``IdentityService/notifyLogout(account:tenant:logger:)``, shared with ending sessions.
    func notifyLogout(account: UUID, tenant: Tenant, req: Request) async {
        await service.notifyLogout(account: account, tenant: tenant, logger: req.logger)
    }
}
