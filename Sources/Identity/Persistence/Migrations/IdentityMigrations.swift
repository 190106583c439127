import Fluent
import Platform

/// Identity's migrations, in the order they run.
enum IdentityMigrations {
    static let all: [any Migration] =
        [
            M001_CreateAccounts(),
            M002_CreateClients(),
            M003_CreateAuthorizationCodes(),
            M004_CreateSSOSessions(),
            M005_CreateRevokedTokens(),
            M006_CreatePasswordSetups(),
            M007_AddClientAllowedScopes(),
            M008_CreateSignInThrottles(),
            M009_AddClientBackchannelLogout(),
            M010_AddAccountStaffAccess(),
            M011_InvitationStates(),
            M012_AccountTokens(),
            M013_SecondFactor(),
            M014_BackendClients(),
            M015_SigningKeys(),
        ] + OutboxMigrations.all
}
