import Foundation
import Vocabulary

/// The partner's care requests as a CSV file (RFC 4180: CRLF lines, quoted where needed) for a spreadsheet.
/// Patient names only when the admin asked for them. A cell a spreadsheet would run as a formula (it begins with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, so a name typed as `=HYPERLINK(…)` stays
/// text.
package struct CareRequestCSV: Sendable {
    /// The most rows one file holds; the last line says so when there were more.
    package static let cap = 10_000

    package struct Row: Sendable, Equatable {
        package var request: CareRequestSummary
        /// The creator's name, or empty for a request made elsewhere.
        package var createdBy: String

        package init(request: CareRequestSummary, createdBy: String) {
            self.request = request
            self.createdBy = createdBy
        }
    }

    package var includeNames: Bool
    /// The zone the times are written in (with their offset).
    package var zone: TimeZone

    package init(includeNames: Bool, zone: TimeZone) {
        self.includeNames = includeNames
        self.zone = zone
    }

    package var header: [String] {
        ["Care request ID"] + (includeNames ? ["Patient"] : []) + [
            "Status", "Created", "Visit window start", "Visit window end", "Service line", "Market", "Source",
            "Created by",
        ]
    }

    /// The whole file: the header, the rows, and, when `cut`, a last line saying only the first rows are in it.
    package func text(_ rows: [Row], cut: Bool) -> String {
        headerLine + lines(rows) + (cut ? cutLine(count: rows.count) : "")
    }

    package var headerLine: String { Self.line(header) }

    package func lines(_ rows: [Row]) -> String { rows.map { Self.line(cells($0)) }.joined() }

    /// The last line of a file that holds only the first `count` of the requests that matched.
    package func cutLine(count: Int) -> String {
        Self.line(["Only the first \(count) care requests are in this file. Narrow the filter to download the rest."])
    }

    /// The last line of a file whose download stopped early: it is not the whole list.
    package var stoppedLine: String {
        Self.line(["The download stopped early: this file is not complete. Download it again in a moment."])
    }

    static func line(_ cells: [String]) -> String { cells.map(cell).joined(separator: ",") + "\r\n" }

    package func cells(_ row: Row) -> [String] {
        let request = row.request
        return [request.id.wire] + (includeNames ? [request.patientName] : []) + [
            Wording.status(request.status.rawValue), time(request.createdAt),
            request.timeWindow.map { time($0.start) } ?? "", request.timeWindow.map { time($0.end) } ?? "",
            request.serviceLine, request.market, Wording.source(request.source.rawValue), row.createdBy,
        ]
    }

    private func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        return formatter.string(from: date)
    }

    /// One cell: neutralised if a spreadsheet would run it, quoted if it holds a comma, a quote or a line break.
    package static func cell(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        guard text.unicodeScalars.contains(where: { ",\"\n\r".unicodeScalars.contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
