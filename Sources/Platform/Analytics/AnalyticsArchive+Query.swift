import Analytics
import Foundation

/// The period and segment `selfsched analytics funnel` asks for, read from the operator's words.
package struct FunnelQuery: Sendable, Equatable {
    /// Events at or after this time.
    package var since: Date?
    /// Events before this time.
    package var until: Date?
    /// A lowercase partner id or `direct`; nil for every segment.
    package var partner: String?

    package init(since: Date? = nil, until: Date? = nil, partner: String? = nil) {
        self.since = since
        self.until = until
        self.partner = partner
    }

    /// - `since`/`until`: a day (`2026-11-01`, UTC; as `until` the end of that day), a span back from `now`
    ///   (`7d`, `12h`, `2w`), or an ISO 8601 time (`2026-12-01T02:31:14.123456+00:00`, any fractional digits);
    /// - `partner`: a demo partner's slug (`sunrise`), a partner id, or `direct` for patients.
    package static func parse(since: String?, until: String?, partner: String?, now: Date = Date()) throws
        -> FunnelQuery
    {
        var query = FunnelQuery()
        if let since {
            guard let date = time(since, now: now, endOfDay: false) else { throw FunnelQueryError(badTime: "since") }
            query.since = date
        }
        if let until {
            guard let date = time(until, now: now, endOfDay: true) else { throw FunnelQueryError(badTime: "until") }
            query.until = date
        }
        if let since = query.since, let until = query.until, since >= until {
            throw FunnelQueryError("--since must be earlier than --until.")
        }
        if let partner { query.partner = try segment(partner) }
        return query
    }

    /// The segment `text` names: a demo slug's partner id, a partner id in lowercase, or `direct`.
    static func segment(_ text: String) throws -> String {
        let word = text.trimmingCharacters(in: .whitespaces).lowercased()
        if word == FunnelReport.direct { return word }
        if let demo = DemoPartners.all.first(where: { $0.slug == word }) { return demo.id.uuidString.lowercased() }
        if let id = UUID(uuidString: word) { return id.uuidString.lowercased() }
        let slugs = DemoPartners.all.map(\.slug).joined(separator: ", ")
        throw FunnelQueryError("--partner is a partner's slug (\(slugs)), a partner id, or direct; not \(text).")
    }

    /// A time as the options take it; nil when `text` is none of the forms.
    static func time(_ text: String, now: Date, endOfDay: Bool) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        // At most about a hundred years back (and no overflow on absurd numbers).
        if let unit = text.last, let amount = Int(text.dropLast()), (0...876_000).contains(amount),
            let seconds = ["h": 3_600, "d": 86_400, "w": 604_800][String(unit)]
        {
            return now.addingTimeInterval(-Double(amount * seconds))
        }
        if text.count == 10, let day = try? Date(text, strategy: .iso8601.year().month().day()) {
            return endOfDay ? day.addingTimeInterval(86_400) : day
        }
        return instant(text)
    }

    /// An ISO 8601 date and time with `Z` or an offset; fractional seconds of any length are read to the
    /// millisecond.
    private static func instant(_ text: String) -> Date? {
        var text = text
        if let dot = text.firstIndex(of: "."), text[..<dot].contains("T") {
            let digits = text[text.index(after: dot)...].prefix { $0.isNumber }
            guard !digits.isEmpty else { return nil }
            let millis = String((digits + "000").prefix(3))
            text.replaceSubrange(dot..<text.index(dot, offsetBy: digits.count + 1), with: "." + millis)
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}

/// An option of `selfsched analytics funnel` that cannot be read, in words for the operator.
package struct FunnelQueryError: Error, Equatable, CustomStringConvertible {
    package let description: String

    package init(_ description: String) { self.description = description }

    init(badTime option: String) {
        description =
            "--\(option) is a day (2026-11-01), a span back from now (7d, 12h, 2w) or an ISO 8601 time "
            + "(2026-11-01T09:30:00Z)."
    }
}

extension FunnelQuery {
    /// The funnel of the messages in `file` for this query, and how many lines of it could not be read.
    package func report(from file: URL) throws -> (report: FunnelReport, skipped: Int) {
        let archive = try AnalyticsArchive.messages(in: file)
        return (FunnelReport.compute(archive.messages, since: since, until: until, partner: partner), archive.skipped)
    }
}
