import Foundation
import Vocabulary

/// The email a ``PatientNotice`` becomes, plain text and HTML. It says as little as possible: the first name at
/// most, the status in plain words, the time in the visit's zone, a link to the request, the provider's phone
/// number and the way to stop these emails. Never the reason for the visit, the address or the date of birth.
package struct PatientEmail: Equatable, Sendable {
    package var subject: String
    package var text: String
    package var html: String

    /// What the email needs besides the notice; `firstName` may be empty.
    package struct Context: Sendable {
        package var firstName: String
        package var requestURL: String
        package var unsubscribeURL: String
        package var phone: String
        package var zone: TimeZone
        /// The visit's `.ics` attached to the email, if one is: PUBLISH or CANCEL (the email says what it does).
        package var calendar: CalendarAttachment?

        package init(
            firstName: String, requestURL: String, unsubscribeURL: String, phone: String, zone: TimeZone,
            calendar: CalendarAttachment? = nil
        ) {
            self.firstName = firstName
            self.requestURL = requestURL
            self.unsubscribeURL = unsubscribeURL
            self.phone = phone
            self.zone = zone
            self.calendar = calendar
        }
    }

    /// What the attached calendar file does in the patient's calendar.
    package enum CalendarAttachment: Sendable {
        case adds, moves, removes

        var sentence: String {
            let what =
                switch self {
                case .adds: "add the visit to"
                case .moves: "move the visit in"
                case .removes: "remove the visit from"
                }
            return "Open the attached calendar file (.ics) to \(what) your calendar."
        }
    }

    package init(_ notice: PatientNotice, _ context: Context) {
        var (subject, lines) = Self.words(notice, zone: context.zone)
        if let calendar = context.calendar { lines.append(calendar.sentence) }
        let name = context.firstName.trimmingCharacters(in: .whitespacesAndNewlines)
        let greeting = name.isEmpty ? "Hello," : "Hi \(name),"
        let call = "Questions? Call us at \(context.phone)."
        let why = "You get these emails because you asked for a home visit online."
        self.subject = subject
        text =
            ([greeting, ""] + lines + [
                "", "See your request: \(context.requestURL)", "", call, "", why,
                "Stop these emails: \(context.unsubscribeURL)", "",
            ]).joined(separator: "\n")
        let paragraphs = ([greeting] + lines).map { "<p>\(HTMLText.escape($0))</p>" }
        html =
            (["<!doctype html>", "<html lang=\"en\"><body style=\"font-family: sans-serif; line-height: 1.5\">"]
            + paragraphs + [
                "<p><a href=\"\(HTMLText.escape(context.requestURL))\">See your request</a></p>",
                "<p>\(HTMLText.escape(call))</p>",
                "<p style=\"color: #555; font-size: 0.9em\">\(HTMLText.escape(why)) "
                    + "<a href=\"\(HTMLText.escape(context.unsubscribeURL))\">Stop these emails</a>.</p>",
                "</body></html>", "",
            ]).joined(separator: "\n")
    }

    static func words(_ notice: PatientNotice, zone: TimeZone) -> (subject: String, lines: [String]) {
        func when(_ interval: CareRequestEvent.Interval) -> String { Self.interval(interval, zone: zone) }
        switch notice {
        case .received(let window, let nurseCalls):
            let next =
                nurseCalls
                ? "A nurse will call you soon to talk about the visit."
                : window.map { "You asked for a visit between \(when($0)). We will email you when it is booked." }
                    ?? "We will email you when your visit is booked."
            return ("We received your request for a home visit", ["We received your request for a home visit.", next])
        case .booked(let time):
            return (
                "Your home visit is booked",
                ["Your home visit is booked."]
                    + (time.map { ["Your clinician is expected between \(when($0))."] } ?? [])
            )
        case .rescheduled(let window):
            return (
                "Your home visit has a new time",
                ["Your home visit was moved to a new time."]
                    + (window.map { ["It is now planned between \(when($0))."] } ?? [])
            )
        case .newEstimate(let eta):
            return (
                "Your clinician's arrival estimate changed",
                ["Your clinician's arrival estimate for your home visit changed."]
                    + (eta.map { ["Your clinician is now expected between \(when($0))."] } ?? [])
            )
        case .onTheWay(let eta):
            return (
                "Your clinician is on the way",
                ["Your clinician is on the way" + (eta.map { " and expected between \(when($0))." } ?? ".")]
            )
        case .completed:
            return (
                "Your home visit is complete", ["Your home visit is complete. Thank you for letting us care for you."]
            )
        case .cancelled:
            return (
                "Your home visit was cancelled",
                ["Your home visit was cancelled. If you still need a visit, request a new one or call us."]
            )
        }
    }

    /// `Tuesday, September 22, 9:00 AM – 11:00 AM MDT`, both ends in `zone`; the end names its day only when it
    /// falls on another one.
    static func interval(_ interval: CareRequestEvent.Interval, zone: TimeZone) -> String {
        let day = "EEEE, MMMM d"
        let sameDay =
            CalendarText.string(interval.start, "yyyy-MM-dd", zone: zone)
            == CalendarText.string(interval.end, "yyyy-MM-dd", zone: zone)
        return CalendarText.string(interval.start, "\(day), h:mm a", zone: zone) + " and "
            + CalendarText.string(interval.end, sameDay ? "h:mm a zzz" : "\(day), h:mm a zzz", zone: zone)
    }
}
