import ExpressDomain
import Foundation
import Platform
import Vapor
import Vocabulary

extension CareRequestsController {
    /// Where OSS sends the browser back: a message for the outcome, nothing more. The query string is the
    /// browser's to write, so nothing here is recorded as fact: who created a request comes from OSS's signed
    /// callback (or Station), and analytics get the known outcome codes only.
    func returned(req: Request) async throws -> Response {
        let user = try req.user()
        let outcome = ReturnOutcome(req.query[String.self, at: "outcome"])
        var properties = ["outcome": outcome.rawValue]
        switch outcome {
        case .created:
            if let id = req.query[String.self, at: "care_request_id"].flatMap(CareRequestID.init(wire:)),
                (try? await service.station.careRequest(partner: user.partnerID, id: id)) != nil
            {
                req.flash("success", "Your care request was created.", link: ("/care-requests/\(id.wire)", "View it"))
            } else {
                req.flash("success", "Your care request was created. It will appear in the list shortly.")
            }
        case .cancelled:
            req.flash("info", "The new care request was cancelled. Nothing was created.")
        case .emergency, .needsCall:
            req.flash("error", "What was described can be an emergency: call 911 now. No care request was created.")
        case .error:
            let reason = ReturnErrorReason(req.query[String.self, at: "reason"])
            properties["reason"] = reason.rawValue
            req.flash("error", reason.message)
        case .unknown:
            req.flash("info", "Welcome back.")
        }
        await service.track("handoff_returned", user: user.acting, properties: properties)
        return req.redirect(to: "/care-requests")
    }
}
