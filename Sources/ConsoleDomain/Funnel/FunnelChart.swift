import Foundation

/// A funnel drawn in SVG: one centred bar per stage, its width in proportion to the stage's count, the stage's
/// name, count and conversion written above it. The `<desc>` says every figure in words for screen readers.
package struct FunnelChart: Sendable {
    package struct Bar: Sendable, Equatable {
        package var label: String
        package var count: Int
        /// Of the previous stage (nil for the first).
        package var conversion: Double?

        package init(label: String, count: Int, conversion: Double?) {
            self.label = label
            self.count = count
            self.conversion = conversion
        }
    }

    package var id: String
    package var title: String
    package var bars: [Bar]

    package init(id: String, title: String, bars: [Bar]) {
        self.id = id
        self.title = title
        self.bars = bars
    }

    static let width = 300.0
    static let row = 44.0
    static let barHeight = 16.0

    /// Every stage in words: "Handoffs started: 12. Handoffs redeemed: 10, 83% of the previous stage. …"
    package var description: String {
        guard !bars.isEmpty else { return "No stages." }
        return bars.map { bar in
            var words = "\(bar.label): \(bar.count)"
            if let percent = SVGMarkup.percent(bar.conversion) { words += ", \(percent) of the previous stage" }
            return words + "."
        }.joined(separator: " ")
    }

    package var svg: String {
        let height = max(Self.row, Double(bars.count) * Self.row)
        let most = Double(bars.map(\.count).max() ?? 0)
        var out = SVGMarkup.open(id: id, width: Self.width, height: height, title: title, description: description)
        for (index, bar) in bars.enumerated() {
            let top = Double(index) * Self.row
            let width = most > 0 ? Self.width * Double(bar.count) / most : 0
            var text = "\(bar.label): \(bar.count)"
            if let percent = SVGMarkup.percent(bar.conversion) { text += " (\(percent))" }
            out += "<text x=\"0\" y=\"\(SVGMarkup.number(top + 15))\" font-size=\"13\" fill=\"\(SVGMarkup.ink)\">"
            out += SVGMarkup.escape(text) + "</text>"
            out += "<rect x=\"\(SVGMarkup.number((Self.width - width) / 2))\" y=\"\(SVGMarkup.number(top + 21))\" "
            out += "width=\"\(SVGMarkup.number(width))\" height=\"\(SVGMarkup.number(Self.barHeight))\" rx=\"3\" "
            out += "fill=\"\(SVGMarkup.brand)\"/>"
        }
        return out + "</svg>"
    }
}
