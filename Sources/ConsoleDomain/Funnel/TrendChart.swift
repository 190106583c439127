import Foundation

/// The weekly trend drawn in SVG: per week a solid bar for attempts started and an outlined bar for requests
/// created (told apart by shape, not only colour), each with its number, and a legend. Shows the last
/// ``maximumWeeks`` weeks so it fits a phone; the page's table has every week.
package struct TrendChart: Sendable {
    package struct Week: Sendable, Equatable {
        /// Short label under the bars ("Nov 2").
        package var label: String
        /// Words for the description ("the week of 2 November 2026").
        package var spoken: String
        package var started: Int
        package var created: Int

        package init(label: String, spoken: String, started: Int, created: Int) {
            self.label = label
            self.spoken = spoken
            self.started = started
            self.created = created
        }
    }

    package var id: String
    package var title: String
    package var weeks: [Week]

    package init(id: String, title: String, weeks: [Week]) {
        self.id = id
        self.title = title
        self.weeks = weeks
    }

    package static let maximumWeeks = 8
    static let width = 300.0
    static let height = 190.0
    static let plotTop = 40.0
    static let plotBottom = 160.0

    package var shown: [Week] { Array(weeks.suffix(Self.maximumWeeks)) }

    /// Every shown week in words: "The week of 2 November 2026: 12 started, 7 created. …"
    package var description: String {
        guard !shown.isEmpty else { return "No weeks." }
        let lead = weeks.count > shown.count ? "The last \(shown.count) weeks. " : ""
        return lead
            + shown.map {
                "\($0.spoken.prefix(1).uppercased() + $0.spoken.dropFirst()): \($0.started) started, "
                    + "\($0.created) created."
            }.joined(separator: " ")
    }

    package var svg: String {
        let n = SVGMarkup.number
        var out = SVGMarkup.open(id: id, width: Self.width, height: Self.height, title: title, description: description)
        out += "<rect x=\"0\" y=\"6\" width=\"12\" height=\"12\" fill=\"\(SVGMarkup.brand)\"/>"
        out += "<text x=\"18\" y=\"16\" font-size=\"12\" fill=\"\(SVGMarkup.ink)\">Started</text>"
        out += "<rect x=\"90.5\" y=\"6.5\" width=\"11\" height=\"11\" fill=\"#ffffff\" stroke=\"\(SVGMarkup.brand)\" "
        out += "stroke-width=\"2\"/><text x=\"108\" y=\"16\" font-size=\"12\" fill=\"\(SVGMarkup.ink)\">Created</text>"
        out += "<line x1=\"0\" y1=\"\(n(Self.plotBottom))\" x2=\"\(n(Self.width))\" y2=\"\(n(Self.plotBottom))\" "
        out += "stroke=\"\(SVGMarkup.line)\" stroke-width=\"1\"/>"
        let weeks = shown
        let most = Double(weeks.flatMap { [$0.started, $0.created] }.max() ?? 0)
        let slot = Self.width / Double(max(weeks.count, 1))
        let barWidth = min(18, slot / 2 - 3)
        for (index, week) in weeks.enumerated() {
            let centre = slot * (Double(index) + 0.5)
            for (offset, value, solid) in [(-barWidth - 1, week.started, true), (1.0, week.created, false)] {
                let height = most > 0 ? (Self.plotBottom - Self.plotTop) * Double(value) / most : 0
                let x = centre + offset
                let y = Self.plotBottom - height
                out += "<rect x=\"\(n(x + (solid ? 0 : 1)))\" y=\"\(n(y + (solid ? 0 : 1)))\" "
                out +=
                    "width=\"\(n(solid ? barWidth : barWidth - 2))\" height=\"\(n(max(0, solid ? height : height - 1)))\" "
                out +=
                    solid
                    ? "fill=\"\(SVGMarkup.brand)\"/>"
                    : "fill=\"#ffffff\" stroke=\"\(SVGMarkup.brand)\" stroke-width=\"2\"/>"
                out += "<text x=\"\(n(x + barWidth / 2))\" y=\"\(n(y - 4))\" font-size=\"10\" text-anchor=\"middle\" "
                out += "fill=\"\(SVGMarkup.ink)\">\(value)</text>"
            }
            out += "<text x=\"\(n(centre))\" y=\"\(n(Self.plotBottom + 16))\" font-size=\"11\" text-anchor=\"middle\" "
            out += "fill=\"\(SVGMarkup.ink)\">\(SVGMarkup.escape(week.label))</text>"
        }
        return out + "</svg>"
    }
}
