import ExpressDomain
import Fluent
import Foundation
import Platform
import Vocabulary

/// Sets up a new partner in Express for the provider's operations staff (Console, through the internal API): the
/// partner, its features and its first admin, whose sign-in account is made at the identity provider as the users
/// page makes one (which emails the invitation). Idempotent by partner id: the same request again answers as the first did, without a new link.
struct OnboardPartner: Sendable {
    let service: ExpressService

    struct Onboarded: Sendable, Equatable {
        var partner: PartnerID
        var admin: UserID
        /// The one-time link the admin opens to choose a password; given once, never kept.
        var setPasswordURL: String?
        /// Whether this request made the partner (false: an earlier one did).
        var created: Bool
    }

    enum Refusal: Error, Equatable {
        /// The partner id is taken by a partner set up otherwise.
        case partnerDiffers
        /// Another partner has the slug.
        case slugTaken
        /// The email cannot be used for a new Express account (already a user, or known to the identity provider).
        case emailUnusable
    }

    func callAsFunction(_ onboarding: PartnerOnboarding, origin: AuditContext) async throws -> Onboarded {
        if let existing = try await service.partner(onboarding.partner) {
            return try await repeated(onboarding, existing: existing)
        }
        if try await PartnerModel.query(on: service.db).filter(\.$slug == onboarding.slug).first() != nil {
            throw Refusal.slugTaken
        }
        if try await service.user(email: onboarding.adminEmail) != nil { throw Refusal.emailUnusable }
        let account: ProvisionedAccount
        do {
            account = try await service.accounts.createAccount(
                email: onboarding.adminEmail, name: onboarding.adminName, organization: onboarding.name,
                invitedBy: "SelfScheduling")
        } catch is AccountExists {
            throw Refusal.emailUnusable
        }
        let at = service.now()
        let partner = PartnerModel(id: onboarding.partner.rawValue, slug: onboarding.slug, name: onboarding.name)
        let admin = UserModel(
            partnerID: onboarding.partner.rawValue, email: onboarding.adminEmail, name: onboarding.adminName,
            role: .admin, at: at)
        admin.accountID = account.accountID
        let log = service.audit
        let context = origin.about(user: admin.userID, partner: onboarding.partner)
        let flags = onboarding.flags.map(\.rawValue).sorted().joined(separator: ",")
        try await service.write { db in
            try await partner.create(on: db)
            for flag in onboarding.flags {
                try await ExpressService.setFlag(flag, partner: onboarding.partner, enabled: true, at: at, on: db)
            }
            try await admin.create(on: db)
            try await log.record(
                AuditEntry(
                    action: "partners.onboard", outcome: "success",
                    detail: "slug \(onboarding.slug); flags [\(flags)]; first admin \(admin.userID.wire)"),
                context, on: db)
        }
        return Onboarded(
            partner: onboarding.partner, admin: admin.userID, setPasswordURL: account.setPasswordURL, created: true)
    }

    /// The answer to a request for a partner that exists: the first answer (without the link) when it asks for the
    /// same, a refusal otherwise.
    private func repeated(_ onboarding: PartnerOnboarding, existing: PartnerModel) async throws -> Onboarded {
        let enabled = try await FeatureFlagModel.query(on: service.db).filter(
            \.$partnerID == onboarding.partner.rawValue
        )
        .filter(\.$enabled == true).all().compactMap { FeatureFlag(rawValue: $0.flag) }
        guard let admin = try await service.user(email: onboarding.adminEmail),
            admin.partnerID == onboarding.partner.rawValue,
            onboarding.matches(
                name: existing.name, slug: existing.slug, flags: Set(enabled), adminEmail: admin.email)
        else { throw Refusal.partnerDiffers }
        return Onboarded(partner: onboarding.partner, admin: admin.userID, setPasswordURL: nil, created: false)
    }
}
