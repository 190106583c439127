import Foundation
import Platform
import Vapor

/// Turns what Station and Policy answered into pages a staff member can act on: a token Station no longer
/// accepts sends them through sign-in again; Station's 403/404 become "not found" (unknown and forbidden look
/// alike); Station, Policy or the audit store being unreachable gives "try again" (503). A form that wants to
/// show Station's refusal in place catches ``StationProblem`` itself before it gets here.
struct PageErrors: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let problem as StationProblem {
            switch problem.status {
            case 401:
                request.webSession[StaffSessionKeys.accessToken] = nil
                if request.method == .POST, ResumeForm.keep(request) {
                    return request.redirect(to: "/sign-in?return=/resume")
                }
                return request.signInAgain()
            case 403, 404:
                return try await request.notice(
                    .notFound, title: "Not found",
                    message: "There is nothing here you can see. It may be outside your markets, or it was removed.",
                    link: ("/", "Go to your start page"))
            default:
                return try await request.notice(
                    HTTPResponseStatus(statusCode: problem.status), title: "Station refused", message: problem.message,
                    retry: request.method == .GET)
            }
        } catch let error as StationUnavailable {
            request.logger.warning("station unavailable", metadata: ["error": .string(error.description)])
            return try await unavailable(request, "Station")
        } catch let error as PolicyUnavailable {
            request.logger.warning("policy unavailable", metadata: ["error": .string(error.description)])
            return try await unavailable(request, "The access check")
        }
    }

    private func unavailable(_ request: Request, _ what: String) async throws -> Response {
        try await request.notice(
            .serviceUnavailable, title: "Try again in a minute",
            message: "\(what) did not answer, so this page is not shown. Nothing was changed.",
            retry: request.method == .GET)
    }
}
