import ExpressDomain
import Foundation
import Platform
import Vapor
import Vocabulary

/// "Change time", "Cancel request" and "Add to calendar" on a care request's page. Express never changes a request
/// itself: it hands the change over to OSS, which asks Policy and Station. The calendar file is read through
/// Station, scoped to the partner and audited like the page.
struct CareRequestChangesController: RouteCollection {
    let service: ExpressService

    func boot(routes: any RoutesBuilder) throws {
        routes.post("care-requests", ":id", "reschedule") { req in try await change(req, .reschedule) }
        routes.post("care-requests", ":id", "cancel") { req in try await change(req, .cancel) }
        routes.get("care-requests", ":id", "calendar.ics", use: calendar)
    }

    /// `POST /care-requests/:id/reschedule|cancel`: pushes the handoff with the intent and sends the browser to OSS.
    func change(_ req: Request, _ intent: HandoffIntent) async throws -> Response {
        let user = try req.user()
        let raw = req.parameters.get("id") ?? ""
        let startHandoff = StartHandoff(service: service)
        let permit: StartHandoff.Permit
        do {
            permit = try await startHandoff.permit(user.acting)
        } catch UseCaseRefusal.notAllowed {
            try await startHandoff.denied(user.acting, intent: intent, id: raw, context: req.useCase(user))
            return try await req.notice(
                .forbidden, title: "You cannot change care requests",
                message:
                    "Your role lets you view care requests but not change or cancel them. Ask your Express admin if you need to.",
                section: "care-requests", link: back(raw))
        } catch UseCaseRefusal.onlineSchedulingOff {
            await service.phonePageShown(.onlineSchedulingOff, user: user.acting, intent: intent)
            return try await req.notice(
                .forbidden, title: "Change this visit by phone",
                message:
                    "Online scheduling is not turned on for your organization. To change the time of this visit or cancel it, call us at \(service.config.supportPhone).",
                section: "care-requests", link: back(raw))
        }
        do {
            guard let id = CareRequestID(wire: raw) else { throw UseCaseRefusal.notFound }
            let started = try await startHandoff(permit, change: intent, of: id, context: req.useCase(user))
            HandoffInSession.remember(started, in: req.webSession)
            return req.redirect(to: started.handoff.startURL)
        } catch UseCaseRefusal.notFound, UseCaseRefusal.careRequestsOff {
            return try await notFound(req, user)
        } catch let closed as StartHandoff.ChangeClosed {
            let phone = service.config.supportPhone
            let reason = PhonePageReason(changeClosedAt: closed.status)
            let (title, message) =
                switch reason {
                case .visitStarted:
                    ("This visit has started", "This visit has started; call us at \(phone) to change it.")
                case .awaitingNurseCall:
                    (
                        "This visit has no time yet",
                        "A nurse will call to set the time of this visit. To change it before then, call us at \(phone)."
                    )
                default:
                    (
                        "This request can no longer be changed",
                        "This care request has ended, so it can no longer be changed. If something is wrong, call us at \(phone)."
                    )
                }
            await service.phonePageShown(reason, user: user.acting, intent: intent)
            return try await req.notice(
                .conflict, title: title, message: message, section: "care-requests", link: back(raw))
        } catch let error as ServiceUnavailable {
            req.logger.warning("handoff failed", metadata: ["service": .string(error.service)])
            await service.phonePageShown(.onlineSchedulingUnavailable, user: user.acting, intent: intent)
            return try await req.notice(
                .serviceUnavailable, title: "Online scheduling is unavailable right now",
                message:
                    "We could not open online scheduling. Nothing was changed. Please try again in a moment, or call us at \(service.config.supportPhone).",
                section: "care-requests", link: back(raw))
        }
    }

    /// `GET /care-requests/:id/calendar.ics`: the visit's window as an iCalendar event (Station's sequence, a
    /// cancellation once cancelled), for the partner's own requests only.
    func calendar(req: Request) async throws -> Response {
        let user = try req.user()
        let shown: ShowCareRequest.Shown
        do {
            shown = try await ShowCareRequest(service: service)(
                req.useCase(user), CareRequestAddress(req.parameters.get("id") ?? ""), action: "care_request.calendar")
        } catch UseCaseRefusal.notFound, UseCaseRefusal.careRequestsOff {
            return try await notFound(req, user)
        } catch let error as ServiceUnavailable {
            req.logger.warning("downstream unavailable", metadata: ["service": .string(error.service)])
            return try await req.notice(
                .serviceUnavailable, title: "The calendar file is unavailable right now",
                message: "We could not reach our scheduling system. Please try again in a moment.",
                section: "care-requests", retry: true)
        }
        let request = shown.request
        guard let window = request.timeWindow, window.end > window.start else {
            return try await req.notice(
                .notFound, title: "No time window yet",
                message: "This care request has no time window yet, so there is nothing to add to a calendar.",
                section: "care-requests", link: ("/care-requests/\(request.id.wire)", "Back to the request"))
        }
        return VisitCalendarEvent(
            careRequest: request.id, window: DateInterval(start: window.start, end: window.end),
            sequence: request.calendarSequence, cancelled: request.isCancelled,
            url: "\(service.config.publicURL)/care-requests/\(request.id.wire)", stamp: service.now()
        ).download()
    }

    private func notFound(_ req: Request, _ user: SessionUser) async throws -> Response {
        try await req.notice(
            .notFound, title: "Care request not found",
            message: "There is no care request at this address for \(user.partnerName). It may have been mistyped.",
            section: "care-requests", link: ("/care-requests", "All care requests"))
    }

    /// The link back to the request's page, when the address names one.
    private func back(_ raw: String) -> (String, String) {
        CareRequestID(wire: raw).map { ("/care-requests/\($0.wire)", "Back to the request") }
            ?? ("/care-requests", "All care requests")
    }
}
