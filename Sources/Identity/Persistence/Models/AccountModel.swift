import Fluent
import Foundation
import IdentityDomain

final class AccountModel: Model, @unchecked Sendable {
    static let schema = "accounts"

    @ID(key: .id) var id: UUID?
    @Field(key: "tenant") var tenant: String
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "active") var active: Bool
    /// Unused since the sign-in throttle (`sign_in_throttles`) counts attempts per email and address.
    @Field(key: "failed_attempts") var failedAttempts: Int
    /// Unused, as `failedAttempts`.
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @Field(key: "created_at") var createdAt: Date
    /// A staff member's roles and markets as text (``StaffAccess``); nil for the other tenants.
    @OptionalField(key: "staff_roles") var staffRoles: String?
    @OptionalField(key: "staff_markets") var staffMarkets: String?
    /// When the owner confirmed the email (through a sign-up's link, or a password reset); nil for a patient
    /// who signed up and has not yet.
    @OptionalField(key: "email_verified_at") var emailVerifiedAt: Date?
    /// The TOTP secret sealed by ``TOTPSecretBox``; nil until the second factor is turned on.
    @OptionalField(key: "totp_secret") var totpSecret: String?
    @OptionalField(key: "totp_enrolled_at") var totpEnrolledAt: Date?
    /// The last time step whose code was accepted: no code of this step or an earlier one passes again.
    @OptionalField(key: "totp_last_step") var totpLastStep: Int?
    /// The unused recovery codes' SHA-256 hashes, a JSON array (``RecoveryCodes``).
    @OptionalField(key: "recovery_codes") var recoveryCodes: String?

    init() {}

    init(tenant: Tenant, email: String, name: String, passwordHash: String, at: Date) {
        self.id = UUID()
        self.tenant = tenant.rawValue
        self.email = email.lowercased()
        self.name = name
        self.passwordHash = passwordHash
        self.active = true
        self.failedAttempts = 0
        self.createdAt = at
    }

    /// The staff member's roles and markets; a value that no longer reads (edited by hand) counts as none.
    var staffAccess: StaffAccess {
        get { (try? StaffAccess(roles: staffRoles, markets: staffMarkets)) ?? .none }
        set {
            staffRoles = newValue.storedRoles
            staffMarkets = newValue.storedMarkets
        }
    }
}
