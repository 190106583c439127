import Foundation

/// A file sent with an email, for example a visit's `.ics`. Rendered as a base64 part of multipart/mixed with
/// `Content-Disposition: attachment`; its file name is made safe for a header (``safeFileName``) and its
/// content type must be a plain `type/subtype; name=value` list (``MailRendering/validate(_:)`` refuses others).
package struct MailAttachment: Codable, Sendable, Equatable {
    /// The name a mail client offers to save it as.
    package var fileName: String
    /// The MIME type with its parameters, for example `text/calendar; charset=utf-8; method=PUBLISH`.
    package var contentType: String
    package var data: Data

    package init(fileName: String, contentType: String, data: Data) {
        self.fileName = fileName
        self.contentType = contentType
        self.data = data
    }

    /// The file name without a path, control characters, quotes or backslashes, at most 100 characters
    /// (the extension kept); `attachment` when nothing is left.
    package var safeFileName: String {
        let base = fileName.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var kept = String(
            base.unicodeScalars.filter { scalar in
                !(scalar.value < 32 || (scalar.value >= 127 && scalar.value < 160)) && scalar != "\""
                    && !scalar.properties.isDefaultIgnorableCodePoint
            }
        ).trimmingCharacters(in: .whitespaces)
        while kept.hasPrefix(".") { kept.removeFirst() }
        guard !kept.isEmpty else { return "attachment" }
        guard kept.count > 100 else { return kept }
        let dot = kept.lastIndex(of: ".").map { kept[$0...] }.flatMap { $0.count <= 10 ? String($0) : nil } ?? ""
        return String(kept.prefix(100 - dot.count)) + dot
    }

    /// Whether `contentType` is `type/subtype` followed by `; name=value` parameters, all RFC 2045 tokens: nothing
    /// a header could be broken or extended with.
    var hasPlainContentType: Bool {
        let pieces = contentType.split(separator: ";", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let type = pieces[0].split(separator: "/", omittingEmptySubsequences: false)
        guard type.count == 2, type.allSatisfy(Self.isToken) else { return false }
        return pieces.dropFirst().allSatisfy { parameter in
            let pair = parameter.split(separator: "=", omittingEmptySubsequences: false)
            return pair.count == 2 && pair.allSatisfy(Self.isToken)
        }
    }

    /// An RFC 2045 token: printable ASCII without spaces and `()<>@,;:\"/[]?=`.
    static func isToken(_ text: some StringProtocol) -> Bool {
        !text.isEmpty
            && text.unicodeScalars.allSatisfy { scalar in
                scalar.value > 32 && scalar.value < 127 && !"()<>@,;:\\\"/[]?=".unicodeScalars.contains(scalar)
            }
    }
}
