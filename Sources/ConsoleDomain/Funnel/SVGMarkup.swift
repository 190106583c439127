import Foundation

/// Small helpers for the server-rendered charts: text escaped for SVG (and HTML) content and attributes, numbers
/// without a trailing ".0", percentages in words.
package enum SVGMarkup {
    /// `text` safe inside an element or a double-quoted attribute.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A coordinate with at most one decimal.
    package static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    /// "83%" for 0.833, nil when there is no ratio.
    package static func percent(_ ratio: Double?) -> String? {
        ratio.map { "\(Int(($0 * 100).rounded()))%" }
    }

    /// The opening tag of an accessible chart: `role="img"` named by its `<title>` and described by its `<desc>`.
    static func open(id: String, width: Double, height: Double, title: String, description: String) -> String {
        let id = escape(id)
        return """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" width="\(number(width))" height="\(number(height))" \
            viewBox="0 0 \(number(width)) \(number(height))" role="img" aria-labelledby="\(id)-title" aria-describedby="\(id)-desc">\
            <title id="\(id)-title">\(escape(title))</title><desc id="\(id)-desc">\(escape(description))</desc>
            """
    }

    static let ink = "#17202a"
    static let brand = "#0b5cad"
    static let line = "#4a5563"
}
