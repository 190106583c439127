import ConsoleDomain
import Foundation
import Platform
import Vapor
import Vocabulary

/// Express's half of onboarding, right after Station created the partner or later from the partner list: on
/// success the first admin's one-time link (as Express's users page shows it); on failure a page that says
/// Station has the partner and Express does not yet, with everything typed kept for another try.
extension PartnersController {
    func setUpInExpress(
        _ req: Request, _ partner: PartnerID, name: String, slug: String, form: PartnerForm, phases: Phases,
        firstAdmin: FirstAdmin, decisionID: String
    ) async throws -> Response {
        let onboarded: ExpressPartnerSetup.Onboarded
        do {
            onboarded = try await ExpressPartnerSetup(client: service.express).onboard(
                partner, name: name, slug: slug, phases: phases, firstAdmin: firstAdmin)
        } catch {
            req.logger.warning("express onboarding failed", metadata: ["status": .stringConvertible(error.status)])
            try await req.audit(
                AuditEntry(
                    "partner.onboarded", outcome: "failed", decisionID: decisionID,
                    detail: "partner \(partner.wire) express \(error.status)"))
            let page = ExpressSetupPage(
                partnerID: partner.wire, name: name, slug: slug, form: form, errors: .init(),
                expressProblem: error.message)
            return try await req.page(
                "admin-partner-express", title: "Finish in Express", section: "admin", page,
                status: [409, 422, 503].contains(error.status)
                    ? HTTPResponseStatus(statusCode: error.status) : .badGateway)
        }
        try await req.audit(
            AuditEntry(
                "partner.onboarded", decisionID: decisionID,
                detail: "partner \(partner.wire) admin \(onboarded.adminUserID)"))
        await service.tracker.track(
            TrackedEvent(.partnerOnboarded), by: .user(try req.staffMember.id), partner: partner)
        return try await req.page(
            "admin-partner-onboarded", title: "Partner created", section: "admin",
            OnboardedPage(
                name: name, slug: slug, adminName: firstAdmin.name, adminEmail: firstAdmin.email,
                setPasswordURL: onboarded.setPasswordURL, phaseOne: phases.stationCareRequests,
                phaseTwo: phases.ossHandoff))
    }

    /// The form to finish a partner's Express setup (from the partner list).
    func expressForm(req: Request) async throws -> Response {
        let partner = try await stationPartner(req)
        return try await req.page(
            "admin-partner-express", title: "Finish in Express", section: "admin",
            ExpressSetupPage(
                partnerID: partner.id, name: partner.name, slug: partner.slug, form: PartnerForm(), errors: .init()))
    }

    func finishInExpress(req: Request) async throws -> Response {
        let partner = try await stationPartner(req)
        guard let id = PartnerID(wire: partner.id) else { throw Abort(.notFound) }
        var form = try req.content.decode(PartnerFields.self).form
        (form.name, form.slug, form.marketIDs) = (partner.name, partner.slug, partner.marketIds)
        let decision = try await req.authorize(.manage, .partner(id), auditAction: "partner.onboarded")
        let onboarding: (phases: Phases, firstAdmin: FirstAdmin)
        do {
            onboarding = try form.validatedOnboarding()
        } catch {
            return try await req.page(
                "admin-partner-express", title: "Finish in Express", section: "admin",
                ExpressSetupPage(
                    partnerID: partner.id, name: partner.name, slug: partner.slug, form: form, errors: error),
                status: .unprocessableEntity)
        }
        return try await setUpInExpress(
            req, id, name: partner.name, slug: partner.slug, form: form, phases: onboarding.phases,
            firstAdmin: onboarding.firstAdmin, decisionID: decision.id)
    }

    /// The partner of the path as Station lists it; 404 (Station's "not found" page) when it has none.
    func stationPartner(_ req: Request) async throws -> AdminStation.Partner {
        let id = PartnerID(wire: req.parameters.get("id") ?? "")
        guard let id,
            let partner = try await AdminStation(client: try req.station()).partners().first(where: {
                PartnerID(wire: $0.id) == id
            })
        else { throw StationProblem(status: 404, nil) }
        return partner
    }
}
