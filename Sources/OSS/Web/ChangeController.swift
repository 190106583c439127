import Foundation
import OSSDomain
import Platform
import Vapor
import Vocabulary

/// `requests/{id}/reschedule` and `requests/{id}/cancel` in both apps: a partner user (with the grant a redeemed
/// change handoff put in their session) or a patient account (a request of one of the people it schedules for)
/// reschedules or cancels a care request that has not started, after Policy allows this person to `update` it.
struct ChangeController: RouteCollection {
    let app: FlowApp
    let service: OSSService

    func boot(routes: any RoutesBuilder) throws {
        let request = routes.grouped("requests", ":id")
        request.get("reschedule", use: showReschedule)
        request.post("reschedule", use: chooseWindow)
        request.get("reschedule", "address", use: showAddress)
        request.post("reschedule", "address", use: chooseAddress)
        request.get("reschedule", "confirm", use: showRescheduleConfirmation)
        request.post("reschedule", "confirm", use: reschedule)
        request.get("cancel", use: showCancel)
        request.post("cancel", use: chooseReason)
        request.get("cancel", "confirm", use: showCancelConfirmation)
        request.post("cancel", "confirm", use: cancel)
    }

    /// The care request being changed, the person changing it and where they go back to.
    struct Subject {
        var request: CareRequestDetail
        var user: FlowUser
        var requester: ChangeRequester
        /// The handoff's return URL in Express (partner app only).
        var returnURL: String?
        /// The change handoff that granted it (partner app only).
        var handoff: Handoff?
        /// The request's market's zone: its windows read in it.
        var zone: TimeZone
        var decision: String
    }

    /// The request, once this person may change it: a partner user with this session's grant for it, whose partner
    /// it is; a patient account that schedules for the request's patient; and Policy allows `update`. Anything
    /// else is a page saying no.
    func subject(_ req: Request) async throws -> Result<Subject, PageResponse> {
        let user = try req.requireFlowUser()
        guard let id = req.parameters.get("id").flatMap(CareRequestID.init(wire:)) else {
            return .failure(try await notFound(req, nil))
        }
        var returnURL: String?
        var changeHandoff: Handoff?
        var patients: [PatientID] = []
        if app.audience == .partner {
            guard let granted = ChangeGrant.handoff(req.webSession, careRequest: id),
                let handoff = try await service.handoff(id: granted),
                handoff.change?.careRequest == id, Owner.partnerUser(handoff.partner, handoff.user) == user.owner
            else {
                await audit(req, user, "care_request.change_open", id, outcome: "no_grant")
                return .failure(try await notAllowed(req, id, returnURL: nil))
            }
            returnURL = handoff.returnURL
            changeHandoff = handoff
        } else {
            patients = try await service.people(of: user.account ?? "").compactMap(\.patient)
        }
        let found: CareRequestDetail?
        let decision: PolicyDecision
        do {
            found = try await service.downstream.station.careRequest(id)
            guard let request = found,
                app.audience == .partner
                    ? request.partner != nil && request.partner == user.partner
                    : request.partner == nil && patients.contains(request.patient)
            else {
                await audit(req, user, "care_request.change_open", id, outcome: "not_found")
                return .failure(try await notFound(req, returnURL))
            }
            // A patient's request: the accounts that schedule for its patient (the patient, family) may change it.
            let managers =
                request.partner == nil ? try await service.managers(of: request.patient) : (owner: nil, accounts: [])
            decision = try await service.downstream.policy.mayChange(
                ChangeQuestion(
                    asker: user.owner, roles: user.roles.compactMap(PartnerRole.init(rawValue:)), careRequest: id,
                    requestPartner: request.partner, requestOwner: managers.owner,
                    managingAccounts: managers.accounts))
        } catch let error as Unavailable {
            await track(
                .phonePageShown, user: user, handoff: changeHandoff, careRequest: id,
                [.reason: .string(PhoneReason(error).rawValue)])
            return .failure(try await unavailable(req, error, id, returnURL: returnURL))
        }
        guard decision.allowed, let request = found else {
            await audit(req, user, "care_request.change_open", id, outcome: "denied", detail: decision.id)
            return .failure(try await notAllowed(req, id, returnURL: returnURL, decision: decision))
        }
        let requester = ChangeRequester(
            scope: user.partner.map { .partner($0) } ?? .patient(request.patient),
            onBehalfOf: user.owner.actor)
        return .success(
            Subject(
                request: request, user: user, requester: requester, returnURL: returnURL, handoff: changeHandoff,
                zone: await zone(of: request.market), decision: decision.id))
    }

    struct PageResponse: Error { var response: Response }

    /// The market's zone, from Station; Denver's when Station cannot say (most of our markets keep it).
    func zone(of market: MarketID) async -> TimeZone {
        let markets = (try? await service.downstream.station.markets()) ?? []
        return markets.first { $0.id == market }.flatMap { TimeZone(identifier: $0.timeZone) }
            ?? TimeZone(identifier: "America/Denver")!
    }

    func audit(
        _ req: Request, _ user: FlowUser, _ action: String, _ id: CareRequestID, outcome: String, detail: String? = nil
    ) async {
        await service.audit(
            action, actor: user.owner.actor, partner: user.partner?.rawValue, subject: id.wire, outcome: outcome,
            detail: detail, request: req)
    }

    /// A page of the change of `id`: `reschedule`, `cancel/confirm`…
    func path(_ id: CareRequestID, _ page: String) -> String { app.path("/requests/\(id.wire)/\(page)") }

    /// "Keep it as it is": back to Express with nothing changed, or to the patient's request.
    func keepURL(_ subject: Subject) -> String {
        guard app.audience == .partner else { return app.path("/requests/\(subject.request.id.wire)") }
        return WayBack.express(
            subject.returnURL, expressURL: service.config.expressURL, outcome: "unchanged",
            careRequest: subject.request.id)
    }

    /// Where a done change goes: back to Express with its outcome, or to the patient's request, which says what
    /// just changed.
    func doneURL(_ subject: Subject, outcome: String) -> String {
        guard app.audience == .partner else {
            return app.path("/requests/\(subject.request.id.wire)?changed=\(outcome)")
        }
        return WayBack.express(
            subject.returnURL, expressURL: service.config.expressURL, outcome: outcome,
            careRequest: subject.request.id)
    }

    static func checkCSRF(_ req: Request) throws { try DraftController.checkCSRF(req) }
}
