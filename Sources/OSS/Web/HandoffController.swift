import Fluent
import Foundation
import Platform
import SQLKit
import Vapor
import Vocabulary

/// `/partner/start`: opening the link spends nothing; a POST by the user the handle was made for redeems it,
/// and the same user repeating it lands on the same draft.
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
        /// Back to Express with nothing started (the handle stays unspent until it expires).
        var cancelURL: String
    }

    func lookup(_ handle: String) async throws -> HandoffModel? {
        try await HandoffModel.find(OSSService.hash(handle), on: service.db)
    }

    func refused(_ req: Request, _ reason: WayBack.Reason, _ title: String, _ message: String, returnURL: String?) async throws -> Response {
        try await req.ossNotice(.badRequest, app: app, title: title, message: message,
                                linkURL: back(reason, returnURL), linkText: "Back to Express")
    }

    /// Back to Express, saying why this could not go on.
    func back(_ reason: WayBack.Reason, _ returnURL: String? = nil) -> String {
        WayBack.error(reason, returnURL: returnURL, expressURL: service.config.expressURL)
    }

    func show(req: Request) async throws -> Response {
        let user = try req.requireFlowUser()
        let handle = req.query[String.self, at: "handoff"] ?? ""
        req.logger.info("handoff opened", metadata: ["handoff_fingerprint": .string(OSSService.fingerprint(handle))])
        guard let row = try await lookup(handle) else {
            return try await refused(req, .invalidLink, "This link is not valid", "Start the new care request again from Express.", returnURL: nil)
        }
        if row.userID != user.owner || row.partnerID != user.partnerID {
            await service.audit("handoff.open", actor: user.owner, partner: user.partnerID, subject: row.fingerprint, outcome: "wrong_user", request: req)
            return try await refused(req, .wrongUser, "This link was made for someone else",
                                     "Only the person who started this care request in Express can continue it.", returnURL: row.returnURL)
        }
        if let draft = row.draftID { return req.redirect(to: app.path("/drafts/\(draft.uuidString.lowercased())/patient")) }
        guard row.expiresAt > service.now() else {
            return try await refused(req, .expired, "This link has expired", "Links to continue a care request last a few minutes. Start again from Express.",
                                     returnURL: row.returnURL)
        }
        return try await req.ossPage("start", "New care request", app: app, StartPage(
            handoff: handle, withPatient: row.patientID != nil,
            cancelURL: WayBack.express(row.returnURL, expressURL: service.config.expressURL, outcome: "cancelled")))
    }

    struct RedeemForm: Content {
        var handoff: String?
        var csrf: String?
    }

    func redeem(req: Request) async throws -> Response {
        let user = try req.requireFlowUser()
        let form = try req.content.decode(RedeemForm.self)
        guard req.webSession.isValidCSRF(form.csrf) else { throw Abort(.forbidden, reason: "This form expired. Reload the page and try again.") }
        let handle = form.handoff ?? ""
        let fingerprint = OSSService.fingerprint(handle)
        guard let row = try await lookup(handle) else {
            return try await refused(req, .invalidLink, "This link is not valid", "Start the new care request again from Express.", returnURL: nil)
        }
        guard row.userID == user.owner, row.partnerID == user.partnerID else {
            await service.audit("handoff.redeem", actor: user.owner, partner: user.partnerID, subject: fingerprint, outcome: "wrong_user", request: req)
            ServiceMetrics.count("handoffs_total", [("event", "refused")])
            return try await refused(req, .wrongUser, "This link was made for someone else",
                                     "Only the person who started this care request in Express can continue it.", returnURL: row.returnURL)
        }
        if let draft = row.draftID {
            return req.redirect(to: app.path("/drafts/\(draft.uuidString.lowercased())/patient"))
        }
        guard row.expiresAt > service.now() else {
            await service.audit("handoff.redeem", actor: user.owner, partner: user.partnerID, subject: fingerprint, outcome: "expired", request: req)
            ServiceMetrics.count("handoffs_total", [("event", "expired")])
            return try await refused(req, .expired, "This link has expired", "Start the new care request again from Express.", returnURL: row.returnURL)
        }
        // Prefill the patient only after Policy allows this user to schedule for them.
        var answers = DraftAnswers()
        if let patientID = row.patientID {
            switch try await prefill(patientID, user: user, req: req) {
            case .success(let filled): answers = filled
            case .failure(let page): return page.response
            }
        }
        let draft = DraftModel()
        draft.id = UUID()
        draft.audience = Audience.partner.rawValue
        draft.owner = user.owner
        draft.partnerID = row.partnerID
        draft.answers = answers
        draft.status = "open"
        draft.returnURL = row.returnURL
        draft.synthetic = row.synthetic
        draft.createdAt = service.now()
        draft.updatedAt = draft.createdAt
        // Of two concurrent redemptions exactly one creates the draft; the other lands on it.
        let now = service.now()
        let won = try await service.write { db in
            let claimed = try await db.sql.update(HandoffModel.schema)
                .set("redeemed_at", to: SQLBind(now)).set("draft_id", to: SQLBind(draft.id!))
                .where("handle_hash", .equal, row.id!).where("draft_id", .is, SQLLiteral.null)
                .returning("handle_hash").all()
            guard !claimed.isEmpty else { return false }
            try await draft.create(on: db)
            return true
        }
        req.logger.info("handoff redeemed", metadata: ["handoff_fingerprint": .string(fingerprint)])
        if !won, let existing = try await lookup(handle)?.draftID {
            return req.redirect(to: app.path("/drafts/\(existing.uuidString.lowercased())/patient"))
        }
        ServiceMetrics.count("handoffs_total", [("event", "redeemed")])
        await service.audit("handoff.redeem", actor: user.owner, partner: user.partnerID, subject: fingerprint, outcome: "draft",
                            detail: draft.id!.uuidString.lowercased(), request: req)
        return req.redirect(to: app.path("/drafts/\(draft.id!.uuidString.lowercased())/patient"))
    }

    struct PageResponse: Error { var response: Response }

    /// The patient's details from Station, if Policy allows this user to schedule for them.
    func prefill(_ patientID: UUID, user: FlowUser, req: Request) async throws -> Result<DraftAnswers, PageResponse> {
        guard let partner = user.partnerID, let userID = UserID(wire: user.owner) else {
            return .failure(PageResponse(response: Response(status: .forbidden)))
        }
        let patient: PatientRecord
        do {
            guard let found = try await service.downstream.station.patient(PatientID(rawValue: patientID), of: PartnerID(rawValue: partner)) else {
                await service.audit("patient.prefill", actor: user.owner, partner: partner, subject: patientID.uuidString.lowercased(),
                                    outcome: "not_found", request: req)
                return .failure(PageResponse(response: try await req.ossNotice(.notFound, app: app, title: "Patient not found",
                    message: "We could not find this patient for your organization. Search again in Express.",
                    linkURL: back(.patientNotFound), linkText: "Back to Express")))
            }
            patient = found
        } catch let error as Unavailable {
            return .failure(PageResponse(response: try await unavailable(req, error)))
        }
        let decision: PolicyDecision
        do {
            decision = try await service.downstream.policy.maySchedule(SchedulingQuestion(
                user: userID, partner: PartnerID(rawValue: partner), roles: user.roles.compactMap(PartnerRole.init(rawValue:)),
                patient: patient.id, patientPartner: patient.partner))
        } catch let error as Unavailable {
            return .failure(PageResponse(response: try await unavailable(req, error)))
        }
        guard decision.allowed else {
            await service.audit("patient.prefill", actor: user.owner, partner: partner, subject: patient.id.wire, outcome: "denied",
                                detail: "\(decision.id): \(decision.reason)", request: req)
            return .failure(PageResponse(response: try await req.ossNotice(.forbidden, app: app, title: "You cannot schedule for this patient",
                message: "Your account is not allowed to schedule visits for this patient (\(decision.reason)). Reference: \(decision.id).",
                linkURL: back(.notAllowed), linkText: "Back to Express")))
        }
        await service.audit("patient.prefill", actor: user.owner, partner: partner, subject: patient.id.wire, outcome: "allowed",
                            detail: decision.id, request: req)
        var answers = DraftAnswers()
        answers["patient_id"] = patient.id.wire
        answers["patient_name"] = "\(patient.givenName) \(patient.familyName)"
        answers["patient_dob"] = patient.dateOfBirth
        if let address = patient.address {
            answers["line1"] = address.line1
            answers["line2"] = address.line2 ?? ""
            answers["city"] = address.city
            answers["state"] = address.state
            answers["zip"] = address.zip
        }
        return .success(answers)
    }

    func unavailable(_ req: Request, _ error: Unavailable) async throws -> Response {
        req.logger.warning("downstream unavailable", metadata: ["service": .string(error.service)])
        return try await req.ossNotice(.serviceUnavailable, app: app, title: "We could not continue just now",
            message: "\(error.service) did not answer. Nothing is lost: try again in a moment, or call us at \(service.config.supportPhone).",
            linkURL: back(.unavailable), linkText: "Back to Express", retry: req.method == .GET)
    }
}
