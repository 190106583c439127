import ExpressDomain
import Foundation
import Platform
import Vapor
import Vocabulary

extension CareRequestsController {
    /// Where OSS sends the browser back: a message for the outcome, nothing more. The query string is the
    /// browser's to write, so nothing here is recorded as fact: who created a request comes from OSS's signed
    /// callback (or Station), what a change did is read from Station, and analytics get the known outcome codes
    /// only, with the attempt this browser left for OSS with (``HandoffInSession``).
    func returned(req: Request) async throws -> Response {
        let user = try req.user()
        let outcome = ReturnOutcome(req.query[String.self, at: "outcome"])
        let named = req.query[String.self, at: "care_request_id"].flatMap(CareRequestID.init(wire:))
        var properties: [AnalyticsProperty: AnalyticsValue] = [.outcome: .string(outcome.rawValue)]
        if let fingerprint = HandoffInSession.take(from: req.webSession) {
            properties[.handoffFingerprint] = .string(fingerprint)
        }
        var target = "/care-requests"
        switch (outcome, named) {
        case (.created, _):
            if let id = named, await exists(id, user) {
                req.flash("success", "Your care request was created.", link: ("/care-requests/\(id.wire)", "View it"))
            } else {
                req.flash("success", "Your care request was created. It will appear in the list shortly.")
            }
        case (.cancelled, nil):
            req.flash("info", "The new care request was cancelled. Nothing was created.")
        case (.cancelled, let id?), (.rescheduled, let id?), (.unchanged, let id?):
            target = try await reportChange(req, outcome, id, user)
        case (.rescheduled, nil), (.unchanged, nil):
            req.flash("info", "Welcome back. Open the request to see its time and status.")
        case (.emergency, _), (.needsCall, _):
            req.flash("error", "What was described can be an emergency: call 911 now. No care request was created.")
        case (.error, _):
            let reason = ReturnErrorReason(req.query[String.self, at: "reason"])
            properties[.reason] = .string(reason.rawValue)
            if let id = named, await exists(id, user) {
                req.flash("error", reason.changeMessage(supportPhone: service.config.supportPhone))
                target = "/care-requests/\(id.wire)"
            } else {
                req.flash("error", reason.message)
            }
        case (.unknown, _):
            req.flash("info", "Welcome back.")
        }
        await service.track(TrackedEvent(.handoffReturned, properties), user: user.acting)
        return req.redirect(to: target)
    }

    /// Says what the request named by a change's return is now, from Station; the page to go to.
    private func reportChange(_ req: Request, _ outcome: ReturnOutcome, _ id: CareRequestID, _ user: SessionUser)
        async throws -> String
    {
        let found: CareRequestDetail?
        do {
            found = try await current(named: id, user)
        } catch let error as ServiceUnavailable {
            req.logger.warning("downstream unavailable", metadata: ["service": .string(error.service)])
            req.flash(
                "info", "Welcome back. We could not check the request just now; open it to see its time and status.")
            return "/care-requests"
        }
        guard let request = found else {
            req.flash("info", "Welcome back. That care request is not one of \(user.partnerName)'s.")
            return "/care-requests"
        }
        let report = ChangeReport(
            outcome: outcome, status: request.status, cancelled: request.isCancelled,
            window: request.timeWindow.map { Wording.window($0.start, $0.end, zone: user.timeZone) })
        // The browser goes to the request itself, where the message sits above what it says.
        req.flash(report.kind.rawValue, report.message)
        return "/care-requests/\(id.wire)"
    }

    private func exists(_ id: CareRequestID, _ user: SessionUser) async -> Bool {
        ((try? await current(named: id, user)) ?? nil) != nil
    }

    /// The partner's request `id` as Station has it now (nil when it is not the partner's or care requests are off).
    private func current(named id: CareRequestID, _ user: SessionUser) async throws -> CareRequestDetail? {
        guard try await service.flags(user.partnerID).contains(.stationCareRequests) else { return nil }
        return try await service.station.careRequest(partner: user.partnerID, id: id)
    }
}

extension CareRequestDetail {
    /// Cancelled by its partner or patient, or otherwise closed without a visit: its calendar event is cancelled.
    var isCancelled: Bool { cancellation != nil || status == .archived }
}
