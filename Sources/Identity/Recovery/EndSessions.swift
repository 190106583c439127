import Foundation
import Vapor

// STUB (issue 16, recovery/sign-up owner).
extension IdentityService {
    /// Ends every session of `account`: its SSO sessions at Identity (deleted) and, through back-channel logout,
    /// its sessions in every app of `tenant` (Express, OSS, Console). `keeping` is an SSO session id hash to keep
    /// (none after a reset or a deactivation).
    func endSessions(of account: UUID, tenant: Tenant, keeping: String? = nil, logger: Logger) async throws {}
}
