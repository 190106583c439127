import Foundation

/// The two MIME encodings mail needs: quoted-printable bodies (RFC 2045) and encoded words for non-ASCII
/// header text (RFC 2047). Output lines end in CRLF and stay within 76 characters.
package enum MIMEEncoding {
    /// `text` as quoted-printable UTF-8, any line ending turned into CRLF.
    package static func quotedPrintable(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return normalized.split(separator: "\n", omittingEmptySubsequences: false)
            .map { quotedPrintableLine(Array($0.utf8)) }
            .joined(separator: "\r\n")
    }

    private static func quotedPrintableLine(_ bytes: [UInt8]) -> String {
        var output = ""
        var current = ""
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let literal =
                (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                || ((byte == 32 || byte == 9) && !isLast)
            let token = literal ? String(UnicodeScalar(byte)) : hex(byte)
            // 76 characters at most, the soft break's `=` included.
            if current.count + token.count > 75 {
                output += current + "=\r\n"
                current = ""
            }
            current += token
        }
        return output + current
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "=" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }

    /// Base64 in lines of 76 characters joined by CRLF (RFC 2045 6.8).
    package static func base64Lines(_ data: Data) -> String {
        let encoded = Array(data.base64EncodedString())
        return stride(from: 0, to: encoded.count, by: 76).map { String(encoded[$0..<min($0 + 76, encoded.count)]) }
            .joined(separator: "\r\n")
    }

    /// A file name as `parameter` of a Content-Disposition or Content-Type field, one entry per header line:
    /// `filename="visit.ics"` for printable ASCII, else RFC 2231's `filename*=UTF-8''…` (percent-encoded UTF-8);
    /// split into numbered continuations (`filename*0*=`, `filename*1*=`) so no line passes 76 characters.
    /// `asciiOnly` writes the quoted form with `_` for every other character (the legacy `name` of Content-Type).
    package static func fileNameParameters(_ name: String, parameter: String, asciiOnly: Bool = false) -> [String] {
        let ascii = name.unicodeScalars.allSatisfy { $0.value >= 32 && $0.value < 127 }
        guard ascii || asciiOnly else {
            // One token per character, so that no continuation splits a character's octets.
            let encoded = name.map { character in
                String(character).utf8.map { byte in
                    attributeCharacters.contains(byte)
                        ? String(UnicodeScalar(byte)) : hex(byte).replacingOccurrences(of: "=", with: "%")
                }.joined()
            }
            let pieces = chunks(["UTF-8''"] + encoded, size: 60)
            guard pieces.count > 1 else { return ["\(parameter)*=\(pieces[0])"] }
            return pieces.enumerated().map { "\(parameter)*\($0.offset)*=\($0.element)" }
        }
        let quoted = name.unicodeScalars.map { scalar -> String in
            guard scalar.value >= 32 && scalar.value < 127 else { return "_" }
            return scalar == "\"" || scalar == "\\" ? "\\" + String(scalar) : String(scalar)
        }
        let pieces = chunks(quoted, size: 60)
        guard pieces.count > 1 else { return ["\(parameter)=\"\(pieces[0])\""] }
        return pieces.enumerated().map { "\(parameter)*\($0.offset)=\"\($0.element)\"" }
    }

    /// RFC 2231's attribute-char: what stands for itself in an extended parameter value.
    private static let attributeCharacters = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~".utf8)

    /// Joins `tokens` into strings of at most `size` characters, never splitting a token.
    private static func chunks(_ tokens: [String], size: Int) -> [String] {
        var result = [""]
        for token in tokens {
            if result[result.count - 1].count + token.count > size, !result[result.count - 1].isEmpty {
                result.append("")
            }
            result[result.count - 1] += token
        }
        return result
    }

    /// Header text: as it is when it is printable ASCII (folded at spaces past 78 columns), else as UTF-8
    /// base64 encoded words of at most 75 characters each, folded one per line.
    /// `used` is how many columns the field name took on the first line.
    package static func headerText(_ value: String, used: Int) -> String {
        let ascii = value.unicodeScalars.allSatisfy { $0.value >= 32 && $0.value < 127 }
        guard ascii else { return encodedWords(value, used: used).joined(separator: "\r\n ") }
        return fold(value, used: used)
    }

    /// Words of the text `=?UTF-8?B?…?=`, never splitting a character across two words; each line (the first
    /// after `used` columns, the others after the folding space) stays within 76 characters.
    package static func encodedWords(_ value: String, used: Int = 1) -> [String] {
        var words: [String] = []
        var chunk = Data()
        // 12 characters of `=?UTF-8?B?` and `?=`; 4 base64 characters carry 3 bytes.
        var limit = max(3, (76 - used - 12) / 4 * 3)
        for character in value {
            let bytes = Data(String(character).utf8)
            if chunk.count + bytes.count > limit, !chunk.isEmpty {
                limit = 45
                words.append("=?UTF-8?B?" + chunk.base64EncodedString() + "?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?" + chunk.base64EncodedString() + "?=") }
        return words
    }

    private static func fold(_ value: String, used: Int) -> String {
        var lines: [String] = []
        var line: String?
        var room = 78 - used
        for word in value.split(separator: " ", omittingEmptySubsequences: false) {
            guard let current = line else {
                line = String(word)
                continue
            }
            if !current.isEmpty, current.count + 1 + word.count > room {
                lines.append(current)
                line = String(word)
                room = 77
            } else {
                line = current + " " + word
            }
        }
        lines.append(line ?? "")
        return lines.joined(separator: "\r\n ")
    }

    /// Reads header text back: unfolds it and decodes encoded words (B or Q, UTF-8 or ASCII charsets).
    package static func decodeHeaderText(_ raw: String) -> String {
        let unfolded = raw.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n ", with: " ")
            .replacingOccurrences(of: "\n\t", with: " ")
        var result = ""
        var rest = Substring(unfolded)
        var previousWasWord = false
        while let start = rest.range(of: "=?") {
            let before = rest[..<start.lowerBound]
            guard let decoded = decodeWord(rest[start.lowerBound...]) else {
                result += before + "=?"
                rest = rest[start.upperBound...]
                previousWasWord = false
                continue
            }
            // Whitespace between two adjacent encoded words is not part of the text.
            if !(previousWasWord && before.allSatisfy(\.isWhitespace)) { result += before }
            result += decoded.text
            rest = decoded.rest
            previousWasWord = true
        }
        return result + rest
    }

    private static func decodeWord(_ text: Substring) -> (text: String, rest: Substring)? {
        let parts = text.dropFirst(2).split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[3].hasPrefix("=") else { return nil }
        let payload = String(parts[2])
        let bytes: Data?
        switch parts[1].uppercased() {
        case "B": bytes = Data(base64Encoded: payload)
        case "Q": bytes = decodeQ(payload)
        default: bytes = nil
        }
        guard let bytes, let string = String(data: bytes, encoding: .utf8) else { return nil }
        return (string, parts[3].dropFirst())
    }

    private static func decodeQ(_ payload: String) -> Data? {
        var data = Data()
        var bytes = Array(payload.utf8)[...]
        while let byte = bytes.popFirst() {
            if byte == UInt8(ascii: "_") {
                data.append(32)
            } else if byte == UInt8(ascii: "="), bytes.count >= 2,
                let value = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16)
            {
                data.append(value)
                bytes = bytes.dropFirst(2)
            } else {
                data.append(byte)
            }
        }
        return data
    }
}
