/// One SMTP reply: a three-digit code and its text lines (`250-first`, `250 last` make one reply).
package struct SMTPReply: Sendable, Equatable {
    package var code: Int
    package var lines: [String]

    package init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    package var isPositive: Bool { (200..<400).contains(code) }
    package var isTransientFailure: Bool { (400..<500).contains(code) }
    package var isPermanentFailure: Bool { (500..<600).contains(code) }

    /// EHLO's extension keywords and their parameters, upper-cased: `["STARTTLS"], ["AUTH", "PLAIN", "LOGIN"]`.
    package var extensions: [[String]] {
        lines.dropFirst().map { line in
            line.uppercased().split(whereSeparator: { $0 == " " || $0 == "=" }).map(String.init)
        }
    }

    package func offers(_ keyword: String) -> Bool { extensions.contains { $0.first == keyword } }

    package func offersAuth(_ mechanism: String) -> Bool {
        extensions.contains { $0.first == "AUTH" && $0.dropFirst().contains(mechanism) }
    }
}

/// Splits the bytes a server sends into replies, joining the lines of multi-line replies (RFC 5321 4.2).
package struct SMTPReplyParser: Sendable {
    private var buffer: [UInt8] = []
    private var pendingCode: Int?
    private var pendingLines: [String] = []

    /// Longer than any real reply line (RFC 5321 allows 512), short enough that a broken peer cannot grow it.
    static let maximumLineLength = 4096

    package init() {}

    package mutating func feed(_ bytes: some Sequence<UInt8>) throws(SMTPError) -> [SMTPReply] {
        buffer.append(contentsOf: bytes)
        var replies: [SMTPReply] = []
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            var line = Array(buffer[..<newline])
            buffer.removeFirst(newline + 1)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if let reply = try take(line) { replies.append(reply) }
        }
        guard buffer.count <= Self.maximumLineLength else { throw .malformedReply }
        return replies
    }

    private mutating func take(_ line: [UInt8]) throws(SMTPError) -> SMTPReply? {
        guard line.count >= 3, line[..<3].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let code = Int(String(decoding: line[..<3], as: UTF8.self)), (200..<600).contains(code)
        else { throw .malformedReply }
        let separator = line.count > 3 ? line[3] : UInt8(ascii: " ")
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else { throw .malformedReply }
        if let pendingCode, pendingCode != code { throw .malformedReply }
        pendingLines.append(line.count > 4 ? String(decoding: line[4...], as: UTF8.self) : "")
        if separator == UInt8(ascii: "-") {
            pendingCode = code
            return nil
        }
        defer {
            pendingCode = nil
            pendingLines = []
        }
        return SMTPReply(code: code, lines: pendingLines)
    }
}
