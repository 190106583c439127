import Foundation

/// Text placed in HTML: the one escaping used by every page and email part built outside Leaf.
package enum HTMLText {
    /// `text` with `&`, `<`, `>`, `"` and `'` written as entities, safe in element content and quoted attributes.
    package static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
