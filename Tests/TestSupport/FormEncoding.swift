import Foundation

extension String {
    /// The string percent-encoded for a form body or a query value: everything but letters, digits and `-._~`.
    package var percentEncoded: String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return addingPercentEncoding(withAllowedCharacters: allowed)!
    }
}

/// `application/x-www-form-urlencoded` text of `fields`, sorted by name so a request is the same every run.
package func formEncoded(_ fields: [String: String]) -> String {
    formEncoded(fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
}

/// `application/x-www-form-urlencoded` text of `fields` in their order (a name may repeat).
package func formEncoded(_ fields: [(String, String)]) -> String {
    fields.map { "\($0.0.percentEncoded)=\($0.1.percentEncoded)" }.joined(separator: "&")
}

/// The named inputs of a page's forms and their values, in page order, entities decoded.
package func formInputs(_ html: String) -> [(String, String)] {
    let pattern = try! NSRegularExpression(pattern: #"<input[^>]*name="([^"]+)"[^>]*value="([^"]*)""#)
    return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { match in
        let name = String(html[Range(match.range(at: 1), in: html)!])
        let value = String(html[Range(match.range(at: 2), in: html)!])
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&#43;", with: "+").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        return (name, value)
    }
}
