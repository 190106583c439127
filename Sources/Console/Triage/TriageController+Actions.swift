import ConsoleDomain
import Foundation
import Platform
import StationAPI
import Vapor
import Vocabulary

extension TriageController {
    /// `POST /triage/:id/claim`: "I'm calling" — the request is the nurse's for five minutes (or renewed).
    func claim(req: Request) async throws -> Response {
        let staff = try req.staffMember
        let id = try Self.id(req)
        // Station answers 404 for a request outside the nurse's markets: no claim on what they cannot see.
        let request = try await TriageStation(client: req.station()).careRequest(id)
        guard MarketID(wire: request.market.id).map(staff.markets.allows) ?? false else {
            throw StationProblem(status: 404, nil)
        }
        guard request.status == .pendingTriage else {
            req.flash("info", "This request is no longer waiting for a nurse.")
            return req.redirect(to: "/triage/\(id.wire)")
        }
        do {
            _ = try await claims.take(id, by: .init(id: staff.id, name: staff.name), now: service.now())
            try await req.audit(AuditEntry("triage.claimed", careRequests: [id]))
            await service.signalLive(id, logger: req.logger)
            req.flash(
                "success",
                "You are calling: no one else can take this request for \(Int(TriageClaim.duration / 60)) minutes.")
        } catch TriageClaim.Refusal.heldByOther(let other) {
            try await req.audit(AuditEntry("triage.claimed", outcome: "denied", careRequests: [id]))
            let wording = other.wording(at: service.now()) ?? "held by \(other.holder.name)"
            req.flash("error", "Someone else is calling this patient: \(wording).")
        }
        return req.redirect(to: "/triage/\(id.wire)")
    }

    /// `POST /triage/:id/release`: the nurse is no longer calling; the request is free for anyone.
    func release(req: Request) async throws -> Response {
        let staff = try req.staffMember
        let id = try Self.id(req)
        do {
            try await claims.release(id, by: staff.id, now: service.now())
            try await req.audit(AuditEntry("triage.released", careRequests: [id]))
            await service.signalLive(id, logger: req.logger)
            req.flash("success", "Released: another nurse may call this patient now.")
            return req.redirect(to: "/triage")
        } catch TriageClaim.Refusal.notHolder {
            req.flash("info", "You were not holding this request (your claim may have expired).")
            return req.redirect(to: "/triage/\(id.wire)")
        }
    }

    /// What an outcome form sends.
    struct OutcomeInput: Content {
        var outcome: String
        var note: String?
        var window: String?
        var reasonCode: String?

        enum CodingKeys: String, CodingKey {
            case outcome, note, window
            case reasonCode = "reason_code"
        }
    }

    /// `POST /triage/:id/outcome`: schedule, send to emergency care or close, with a note, through Station with
    /// the nurse's own token. A refusal (ours or Station's) shows the page again with everything typed kept.
    func outcome(req: Request) async throws -> Response {
        let staff = try req.staffMember
        let id = try Self.id(req)
        let input = try req.content.decode(OutcomeInput.self)
        guard let kind = TriageOutcomeForm.Outcome(rawValue: input.outcome) else { throw Abort(.badRequest) }
        let form = TriageOutcomeForm(
            outcome: kind, note: input.note ?? "", window: input.window, reasonCode: input.reasonCode)
        var state = TriageDetailPage.FormState(outcome: kind.rawValue, note: form.note)
        let again = { (state: TriageDetailPage.FormState, status: HTTPResponseStatus) in
            try await renderDetail(
                req, form: state, chosenWindow: input.window, chosenReason: input.reasonCode, status: status)
        }
        let decision: TriageOutcomeForm.Decision
        switch form.validate() {
        case .failure(let problems):
            state.noteError = problems[.note]
            state.windowError = problems[.window]
            state.reasonError = problems[.reasonCode]
            return try await again(state, .unprocessableEntity)
        case .success(let valid):
            decision = valid
        }
        let claim = try await claims.live(id, now: service.now())
        guard TriageClaim.mayRecordOutcome(claim, by: staff.id, now: service.now()) else {
            let wording = claim?.wording(at: service.now()) ?? "held by someone else"
            state.refusal = "Someone else is calling this patient (\(wording)). Wait for them, or until it expires."
            return try await again(state, .conflict)
        }
        let station = TriageStation(client: try req.station())
        let recorded: TriageStation.CareRequest
        do {
            recorded = try await station.record(decision, for: id)
        } catch let problem as StationProblem where [400, 409, 422].contains(problem.status) {
            try await req.audit(
                AuditEntry(
                    "triage.outcome_recorded", outcome: "failed", careRequests: [id],
                    detail: "\(kind.rawValue) \(problem.status)"))
            state.refusal = problem.message
            if let next = problem.raw?.nextAvailableWindows, !next.isEmpty {
                let request = try await station.careRequest(id)
                let zone = try await station.timeZone(ofMarket: request.market.id)
                state.nextWindows = next.map { TriageWording.window($0.start, $0.end, zone: zone) }
            }
            for (field, message) in problem.fieldErrors {
                switch field {
                case "note": state.noteError = message
                case "window_start", "window_end": state.windowError = message
                case "reason_code": state.reasonError = message
                default: break
                }
            }
            return try await again(state, HTTPResponseStatus(statusCode: problem.status))
        }
        try await claims.clear(id)
        try await req.audit(
            AuditEntry(
                "triage.outcome_recorded", careRequests: [id],
                detail: [kind.rawValue, input.reasonCode].compactMap { $0 }.joined(separator: " ")))
        await service.tracker.track(
            TrackedEvent(
                .triageDecisionRecorded, [.outcome: .string(kind.rawValue), .careRequestID: .string(id.wire)]),
            by: .user(staff.id), partner: recorded.partnerId.flatMap { PartnerID(wire: $0) })
        req.flash("success", Self.done(decision, zone: try await station.timeZone(ofMarket: recorded.market.id)))
        return req.redirect(to: "/triage")
    }

    /// The status message after an outcome (no PHI: it is kept in the session until shown).
    static func done(_ decision: TriageOutcomeForm.Decision, zone: TimeZone) -> String {
        switch decision {
        case .schedule(let window, _):
            "Scheduled for \(TriageWording.window(window.start, window.end, zone: zone)). The partner sees it now."
        case .emergency: "Sent to emergency care: the request is closed with that reason."
        case .close(let reason, _): "Closed: \(reason.label)."
        }
    }
}
