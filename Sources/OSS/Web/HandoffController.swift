import Foundation
import OSSDomain
import Platform
import Vapor
import Vocabulary

/// `/partner/start`: opening the link spends nothing; a POST by the user the handle was made for redeems it,
/// and the same user repeating it lands on the same draft (or, for a change handoff, the same change page).
struct HandoffController: RouteCollection {
    let app: FlowApp
    let service: OSSService

    func boot(routes: any RoutesBuilder) throws {
        routes.get("start", use: show)
        routes.post("start", use: redeem)
    }

    struct StartPage: Encodable {
        var handoff: String
        var withPatient: Bool
        /// `new`, `reschedule` or `cancel`.
        var intent: String
        /// Back to Express with nothing started (the handle stays unspent until it expires).
        var cancelURL: String
    }

    func refused(_ req: Request, _ reason: WayBack.Reason, _ title: String, _ message: String, returnURL: String?)
        async throws -> Response
    {
        try await req.ossNotice(
            .badRequest, app: app, title: title, message: message,
            linkURL: back(reason, returnURL), linkText: "Back to Express")
    }

    func invalid(_ req: Request) async throws -> Response {
        try await refused(
            req, .invalidLink, "This link is not valid", "Start the new care request again from Express.",
            returnURL: nil)
    }

    func forSomeoneElse(_ req: Request, _ handoff: Handoff) async throws -> Response {
        try await refused(
            req, .wrongUser, "This link was made for someone else",
            "Only the person who started this care request in Express can continue it.", returnURL: handoff.returnURL)
    }

    /// Back to Express, saying why this could not go on.
    func back(_ reason: WayBack.Reason, _ returnURL: String? = nil) -> String {
        WayBack.error(reason, returnURL: returnURL, expressURL: service.config.expressURL)
    }

    func draftPage(_ draft: DraftID) -> String { app.path("/drafts/\(draft.wire)/\(Step.patient.rawValue)") }

    func redemption(of handoff: Handoff, by user: FlowUser) -> Handoff.Redemption {
        handoff.redemption(by: user.owner, at: service.now())
    }

    func show(req: Request) async throws -> Response {
        let user = try req.requireFlowUser()
        let handle = req.query[String.self, at: "handoff"] ?? ""
        req.logger.info("handoff opened", metadata: ["handoff_fingerprint": .string(Handoff.fingerprint(of: handle))])
        guard let handoff = try await service.handoff(handle: handle) else { return try await invalid(req) }
        switch redemption(of: handoff, by: user) {
        case .forSomeoneElse:
            await service.audit(
                "handoff.open", actor: user.owner.actor, partner: user.partner?.rawValue, subject: handoff.fingerprint,
                outcome: "wrong_user",
                request: req)
            return try await forSomeoneElse(req, handoff)
        case .redeemed(let draft):
            return req.redirect(to: draftPage(draft))
        case .redeemedChange(let intent, let careRequest):
            return changePage(req, handoff, intent, careRequest)
        case .expired:
            return try await refused(
                req, .expired, "This link has expired",
                "Links to continue a care request last a few minutes. Start again from Express.",
                returnURL: handoff.returnURL)
        case .open:
            return try await req.ossPage(
                "start", handoff.intent == .new ? "New care request" : "Change a visit", app: app,
                StartPage(
                    handoff: handle, withPatient: handoff.patient != nil, intent: handoff.intent.rawValue,
                    cancelURL: leaveURL(handoff)))
        }
    }

    struct RedeemForm: Content {
        var handoff: String?
        var csrf: String?
    }

    func redeem(req: Request) async throws -> Response {
        let user = try req.requireFlowUser()
        let form = try req.content.decode(RedeemForm.self)
        guard req.webSession.isValidCSRF(form.csrf) else {
            throw Abort(.forbidden, reason: "This form expired. Reload the page and try again.")
        }
        let handle = form.handoff ?? ""
        guard let handoff = try await service.handoff(handle: handle) else { return try await invalid(req) }
        func audit(_ outcome: String, detail: String? = nil) async {
            await service.audit(
                "handoff.redeem", actor: user.owner.actor, partner: user.partner?.rawValue,
                subject: handoff.fingerprint, outcome: outcome,
                detail: detail, request: req)
        }
        switch redemption(of: handoff, by: user) {
        case .forSomeoneElse:
            await audit("wrong_user")
            ServiceMetrics.count("handoffs_total", [("event", "refused")])
            return try await forSomeoneElse(req, handoff)
        case .redeemed(let draft):
            return req.redirect(to: draftPage(draft))
        case .redeemedChange(let intent, let careRequest):
            return changePage(req, handoff, intent, careRequest)
        case .expired:
            await audit("expired")
            ServiceMetrics.count("handoffs_total", [("event", "expired")])
            return try await refused(
                req, .expired, "This link has expired", "Start the new care request again from Express.",
                returnURL: handoff.returnURL)
        case .open:
            if let change = handoff.change {
                if try await service.redeemChange(handoff) { await service.trackRedeemed(handoff, roles: user.roles) }
                ServiceMetrics.count("handoffs_total", [("event", "redeemed")])
                await audit("change", detail: "\(change.intent.rawValue) \(change.careRequest.wire)")
                return changePage(req, handoff, change.intent, change.careRequest)
            }
        }
        // Prefill the patient only after Policy allows this user to schedule for them.
        var answers = Draft.Answers()
        if let patient = handoff.patient {
            switch try await prefill(patient, for: handoff, user: user, req: req) {
            case .success(let filled): answers = filled
            case .failure(let page): return page.response
            }
        }
        let draft = handoff.startDraft(id: .random(), answers: answers, now: service.now())
        let won = try await service.redeem(handoff, into: draft)
        req.logger.info("handoff redeemed", metadata: ["handoff_fingerprint": .string(handoff.fingerprint)])
        if !won {
            // Another request redeemed it first: go on with its draft; with none, the handle is no longer usable.
            guard let existing = try await service.handoff(handle: handle)?.draft else { return try await invalid(req) }
            return req.redirect(to: draftPage(existing))
        }
        ServiceMetrics.count("handoffs_total", [("event", "redeemed")])
        await audit("draft", detail: draft.id.wire)
        await service.trackRedeemed(handoff, roles: user.roles)
        return req.redirect(to: draftPage(draft.id))
    }
}
