import Foundation
import OSSDomain
import Platform
import Vapor
import Vocabulary

/// What the change pages say when they cannot go on, each with one way out: back to Express with a reason code
/// (partner app) or to the patient's requests.
extension ChangeController {
    func notFound(_ req: Request, _ returnURL: String?) async throws -> PageResponse {
        PageResponse(
            response: try await req.ossNotice(
                .notFound, app: app, title: "Request not found",
                message: "We could not find this request. It may belong to someone else, or the link was mistyped.",
                linkURL: way(.notFound, returnURL), linkText: wayText))
    }

    func notAllowed(_ req: Request, _ id: CareRequestID, returnURL: String?, decision: PolicyDecision? = nil)
        async throws -> PageResponse
    {
        let reference = decision.map { " Reference: \($0.id)." } ?? ""
        let message =
            app.audience == .partner
            ? "Your account may not change this request. Schedulers and admins of its organization change requests from Express with “Change time” or “Cancel request”.\(reference)"
            : "This request cannot be changed from this account.\(reference)"
        return PageResponse(
            response: try await req.ossNotice(
                .forbidden, app: app, title: "You cannot change this request", message: message,
                linkURL: way(.notAllowed, returnURL), linkText: wayText))
    }

    func unavailable(_ req: Request, _ error: Unavailable, _ id: CareRequestID, returnURL: String?) async throws
        -> PageResponse
    {
        req.logger.warning("downstream unavailable", metadata: ["service": .string(error.service)])
        return PageResponse(
            response: try await req.ossNotice(
                .serviceUnavailable, app: app, title: "We could not continue just now",
                message:
                    "\(error.service) did not answer. Nothing was changed: try again in a moment, or call us at \(service.config.supportPhone).",
                linkURL: way(.unavailable, returnURL), linkText: wayText, retry: req.method == .GET))
    }

    /// The request has started or ended: only a phone call changes it now.
    func closed(_ req: Request, _ subject: Subject, supportPhone: String? = nil) async throws -> Response {
        let phone = supportPhone ?? service.config.supportPhone
        let ended = [.complete, .archived].contains(subject.request.status)
        await phonePage(ended ? .requestEnded : .visitStarted, subject)
        return try await req.ossNotice(
            .conflict, app: app, title: ended ? "This request has ended" : "This visit has started",
            message: ended
                ? "It can no longer be changed. If something is wrong, please call us at \(phone)."
                : "This visit has started. Please call us at \(phone).",
            linkURL: keepURL(subject), linkText: wayText)
    }

    func way(_ reason: WayBack.Reason, _ returnURL: String?) -> String {
        app.audience == .partner
            ? WayBack.error(reason, returnURL: returnURL, expressURL: service.config.expressURL)
            : app.path("/requests")
    }

    var wayText: String { app.audience == .partner ? "Back to Express" : "My requests" }
}
