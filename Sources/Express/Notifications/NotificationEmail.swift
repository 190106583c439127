import ExpressDomain
import Foundation
import Platform
import Vocabulary

/// The words of a partner user's notification email, plain text and HTML. It says as little as possible
/// about health: no patient, no reason, no diagnosis — the status in plain words, the time window or arrival
/// estimate in the reader's time zone, and a link to the request in Express, where signing in shows the rest.
struct NotificationEmail: Equatable {
    var subject: String
    var text: String
    var html: String

    /// Links and the reader's time zone.
    struct Context {
        var zone: TimeZone
        var scope: NotificationScope
        var requestURL: (CareRequestID) -> String
        var profileURL: String
        var unsubscribeURL: String
    }

    /// One change, emailed as it happens. `yours`: the reader created the request. `calendar`: the visit's `.ics`
    /// the email attaches, which the email then mentions.
    static func change(
        _ event: CareRequestEvent, yours: Bool, calendar: VisitCalendarEvent? = nil, _ context: Context
    ) -> NotificationEmail {
        let request = yours ? "A care request you created" : "A care request of your organization"
        let status = Wording.status(event.newStatus.rawValue)
        let window = event.window.map { Wording.window($0.start, $0.end, zone: context.zone) }
        var (subject, lines): (String, [String]) =
            switch event.type {
            case .created:
                ("New care request", ["A new care request was made for your organization (\(status))."])
            case .statusChanged: ("Care request update: \(status)", ["\(request) is now: \(status)."])
            case .etaChanged: ("Care request update: new arrival estimate", ["\(request) has a new arrival estimate."])
            case .rescheduled:
                (
                    "Care request rescheduled",
                    ["\(request) was moved to a new time."] + (window.map { ["New time window: \($0)"] } ?? [])
                )
            case .cancelled:
                (
                    "Care request cancelled",
                    ["\(request) was cancelled."]
                        + (window.map { ["The visit planned for \($0) will not take place."] } ?? [])
                )
            }
        if [.created, .statusChanged, .etaChanged].contains(event.type), let timing = timing(event, context.zone) {
            lines.append(timing)
        }
        if let calendar {
            let what =
                calendar.cancelled
                ? "remove the visit from" : event.type == .rescheduled ? "move the visit in" : "add the visit to"
            lines.append("Open the attached calendar file (.ics) to \(what) your calendar.")
        }
        return compose(
            subject: subject, lines: lines,
            links: [(context.requestURL(event.careRequest), "See the request in Express")], context)
    }

    /// The day's changes in one email: the last change of each request.
    static func digest(_ events: [CareRequestEvent], day: String, _ context: Context) -> NotificationEmail {
        let lines = ["What changed on \(day) (\(context.zone.identifier)):"]
        let links = events.map { event in
            let words = [Wording.status(event.newStatus.rawValue)] + (timing(event, context.zone).map { [$0] } ?? [])
            return (context.requestURL(event.careRequest), words.joined(separator: " — "))
        }
        return compose(
            subject: "Your daily care request summary: \(Wording.plural(events.count, "request")) changed",
            lines: lines, links: links, context)
    }

    private static func timing(_ event: CareRequestEvent, _ zone: TimeZone) -> String? {
        if let eta = event.eta { return "Estimated arrival: \(Wording.window(eta.start, eta.end, zone: zone))" }
        if let window = event.window { return "Time window: \(Wording.window(window.start, window.end, zone: zone))" }
        return nil
    }

    private static func compose(
        subject: String, lines: [String], links: [(url: String, label: String)], _ context: Context
    ) -> NotificationEmail {
        let which =
            context.scope == .partner ? "all of your organization's care requests" : "the care requests you create"
        let why = "You get this email because your Express profile asks for updates on \(which)."
        var text = lines + [""] + links.flatMap { ["\($0.label): \($0.url)"] }
        text += [
            "", why, "Change this on your profile: \(context.profileURL)", "Unsubscribe: \(context.unsubscribeURL)", "",
        ]
        let html =
            ["<!doctype html>", "<html lang=\"en\"><body style=\"font-family: sans-serif; line-height: 1.5\">"]
            + lines.map { "<p>\(HTMLText.escape($0))</p>" }
            + ["<ul>"]
            + links.map { "<li><a href=\"\(HTMLText.escape($0.url))\">\(HTMLText.escape($0.label))</a></li>" } + [
                "</ul>"
            ]
            + [
                "<p style=\"color: #555; font-size: 0.9em\">\(HTMLText.escape(why)) "
                    + "<a href=\"\(HTMLText.escape(context.profileURL))\">Change this on your profile</a> or "
                    + "<a href=\"\(HTMLText.escape(context.unsubscribeURL))\">unsubscribe</a>.</p>",
                "</body></html>", "",
            ]
        return NotificationEmail(
            subject: subject, text: text.joined(separator: "\n"), html: html.joined(separator: "\n"))
    }
}
