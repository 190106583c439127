import ExpressDomain
import ExpressInternalAPI
import Foundation
import Platform
import Vocabulary

extension InternalAPIHandler {
    /// Console onboards a partner: the partner, its features and its first admin (``OnboardPartner``).
    func onboardPartner(_ input: Operations.OnboardPartner.Input) async throws -> Operations.OnboardPartner.Output {
        guard case .json(let body) = input.body else { throw Problem.badRequest("Send the partner as JSON.") }
        let onboarding = try PartnerOnboarding(body)
        let origin = AuditContext(
            requestID: TraceContext.current?.requestID ?? "api", client: try Principal.authenticated().callerKey)
        let onboarded: OnboardPartner.Onboarded
        do {
            onboarded = try await OnboardPartner(service: service)(onboarding, origin: origin)
        } catch let refusal as OnboardPartner.Refusal {
            throw Problem(refusal)
        } catch is ServiceUnavailable {
            throw Problem.unavailable("The identity provider could not create the admin's account; nothing was saved.")
        }
        let answer = Components.Schemas.OnboardedPartner(
            partnerId: onboarded.partner.wire, adminUserId: onboarded.admin.wire,
            setPasswordLink: onboarded.setPasswordURL)
        return onboarded.created ? .created(.init(body: .json(answer))) : .ok(.init(body: .json(answer)))
    }
}

extension PartnerOnboarding {
    init(_ body: Components.Schemas.PartnerOnboarding) throws {
        guard let partner = PartnerID(wire: body.partnerId) else {
            throw Problem.validation([.init(field: "partner_id", message: "must be a UUID")])
        }
        var flags: Set<FeatureFlag> = []
        if body.stationCareRequests { flags.insert(.stationCareRequests) }
        if body.ossHandoff { flags.insert(.ossHandoff) }
        do {
            try self.init(
                partner: partner, name: body.name, slug: body.slug, flags: flags, adminEmail: body.firstAdmin.email,
                adminName: body.firstAdmin.name)
        } catch {
            throw Problem.validation(error.errors.map { .init(field: $0.field, message: $0.message) })
        }
    }
}

extension Problem {
    init(_ refusal: OnboardPartner.Refusal) {
        switch refusal {
        case .partnerDiffers:
            self = .conflict(
                "A partner with this id was onboarded with other details (name, slug, features or first admin).",
                slug: "partner-exists")
        case .slugTaken: self = .conflict("Another partner has this slug. Choose another.", slug: "slug-taken")
        case .emailUnusable:
            self = .conflict(
                "This email cannot be used for a new Express account. Use another email address.",
                slug: "email-unusable")
        }
    }
}
