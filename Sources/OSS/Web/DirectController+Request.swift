import Foundation
import Platform
import Vapor
import Vocabulary

/// One request of the signed-in patient: its confirmation page and its visit as a calendar file.
extension DirectController {
    struct Confirmation: Encodable {
        var created: Bool
        /// What the patient just changed, in fixed words (the query only picks which).
        var changed: String?
        var status: String
        var statusKey: String
        var reason: String
        var window: String?
        var address: String
        var cancelledBecause: String?
        var choices: PatientRequestChoices
        /// The care team is on the way or with the patient: only a call changes the visit now.
        var started: Bool
        var calendarURL: String?
        var supportPhone: String
    }

    func request(req: Request) async throws -> Response {
        guard let found = try await ownRequest(req, action: "care_request.view") else { return try await notFound(req) }
        var window: String?
        if let w = found.timeWindow {
            // The visit's time reads in its market's zone, as Station keeps it.
            window = RequestWording.window(
                w, zone: await Self.marketTimeZones(service)[found.market] ?? Self.fallbackZone)
        }
        let changed: String? =
            switch req.query[String.self, at: "changed"] {
            case "rescheduled": "Your visit has a new time."
            case "cancelled": "Your request is cancelled. We will not come."
            default: nil
            }
        let a = found.visitAddress
        return try await req.ossPage(
            "confirmation", "Your request", app: app,
            Confirmation(
                created: req.query[String.self, at: "created"] == "1", changed: changed,
                status: RequestWording.status(found.status), statusKey: found.status.rawValue,
                reason: found.chiefComplaint, window: window, address: "\(a.line1), \(a.city), \(a.state) \(a.zip)",
                cancelledBecause: found.cancellation?.reason.label,
                choices: PatientRequestChoices(
                    found.id, changeable: found.changeable, hasWindow: found.timeWindow != nil, app: app),
                started: found.status == .onRoute || found.status == .onScene,
                calendarURL: found.timeWindow == nil ? nil : app.path("/requests/\(found.id.wire)/calendar.ics"),
                supportPhone: service.config.supportPhone))
    }

    /// `GET /requests/{id}/calendar.ics`: the visit window of the patient's own request as an iCalendar event, the
    /// same UID at every change; a cancelled (closed) request gives `METHOD:CANCEL` so calendars drop it.
    func calendar(req: Request) async throws -> Response {
        guard let found = try await ownRequest(req, action: "care_request.calendar") else {
            return try await notFound(req)
        }
        guard let window = found.timeWindow else {
            return try await req.ossNotice(
                .notFound, app: app, title: "No visit time yet",
                message: "This request has no visit time yet, so there is nothing to add to a calendar.",
                linkURL: app.path("/requests/\(found.id.wire)"), linkText: "Your request")
        }
        let event = VisitCalendarEvent(
            careRequest: found.id, window: DateInterval(start: window.start, end: window.end),
            sequence: found.calendarSequence, cancelled: found.status == .archived,
            url: service.config.publicURL + app.path("/requests/\(found.id.wire)"), stamp: service.now())
        return event.download()
    }
}
