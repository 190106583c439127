import Foundation
import Vocabulary

/// A care request's visit window as an iCalendar event (RFC 5545), for "Add to calendar" links and email
/// attachments. One event per care request: its UID never changes, a reschedule raises its SEQUENCE, and a
/// cancellation is the same UID with `METHOD:CANCEL`. It says that a visit happens and when, never why: no
/// name, complaint, address or other health information.
package struct VisitCalendarEvent: Sendable, Equatable {
    package var careRequest: CareRequestID
    package var window: DateInterval
    /// Station's `calendar_sequence`: 0 when made, one more at each reschedule and at the cancellation.
    package var sequence: Int
    package var cancelled: Bool
    /// The title, for example "Home visit" (no health information).
    package var summary: String
    /// Where to see or change it, for example Express's detail page or OSS's "My requests".
    package var url: String?
    /// When this copy was made (DTSTAMP).
    package var stamp: Date

    package init(
        careRequest: CareRequestID, window: DateInterval, sequence: Int, cancelled: Bool,
        summary: String = "Home visit", url: String? = nil, stamp: Date
    ) {
        self.careRequest = careRequest
        self.window = window
        self.sequence = sequence
        self.cancelled = cancelled
        self.summary = summary
        self.url = url
        self.stamp = stamp
    }

    /// The UID every copy of this request's event carries.
    package var uid: String { "care-request-\(careRequest.wire)@selfscheduling.example" }

    /// The file name offered for download.
    package var fileName: String { "home-visit-\(careRequest.wire.prefix(8)).ics" }

    /// The MIME type, with the method a mail client reads.
    package var contentType: String { "text/calendar; charset=utf-8; method=\(method)" }

    package var method: String { cancelled ? "CANCEL" : "PUBLISH" }

    /// The `.ics` text: CRLF line ends, long lines folded at 75 octets.
    package var ics: String {
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//SelfScheduling//Home visits//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:\(method)",
            "BEGIN:VEVENT",
            "UID:\(uid)",
            "SEQUENCE:\(max(0, sequence))",
            "DTSTAMP:\(Self.utc(stamp))",
            "DTSTART:\(Self.utc(window.start))",
            "DTEND:\(Self.utc(window.end))",
            "SUMMARY:\(Self.escaped(summary))",
            "STATUS:\(cancelled ? "CANCELLED" : "CONFIRMED")",
            "TRANSP:OPAQUE",
        ]
        if let url { lines.append("URL:\(url)") }
        lines += ["END:VEVENT", "END:VCALENDAR"]
        return lines.map(Self.folded).joined(separator: "\r\n") + "\r\n"
    }

    /// A UTC date-time, `YYYYMMDDTHHMMSSZ`.
    static func utc(_ date: Date) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: .gmt, from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", c.year ?? 1970, c.month ?? 1, c.day ?? 1, c.hour ?? 0,
            c.minute ?? 0, c.second ?? 0)
    }

    /// TEXT values escape backslashes, semicolons, commas and line breaks.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\r\n", with: "\\n")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\n")
    }

    /// Folds a content line longer than 75 octets: CRLF and a space before each continuation, never inside a
    /// UTF-8 character.
    static func folded(_ line: String) -> String {
        var out = ""
        var octets = 0
        for character in line {
            let size = String(character).utf8.count
            if octets + size > 75 {
                out += "\r\n "
                octets = 1
            }
            out.append(character)
            octets += size
        }
        return out
    }
}
