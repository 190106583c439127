import Foundation

/// A message as the bytes of an RFC 5322 email: the headers, then multipart/alternative with the plain-text
/// part first and the HTML part second (a mail client shows the last one it can), both quoted-printable UTF-8.
/// A message with attachments wraps that in multipart/mixed, each file a base64 part after it. Lines end in
/// CRLF. Used by both transports, so what lands in a `.eml` file is what an SMTP server receives.
///
/// Header injection is impossible by construction: addresses, names, header names and values with a line
/// break (or another control character) are refused, and the subject's line breaks become spaces.
package enum MailRendering {
    /// Headers the renderer writes itself; a message's `headers` cannot set them.
    static let reserved: Set<String> = [
        "from", "to", "cc", "bcc", "subject", "date", "message-id", "mime-version", "content-type",
        "content-transfer-encoding", "sender", "return-path",
    ]

    package static func render(_ message: MailMessage, date: Date = Date(), boundary: String? = nil) throws -> String {
        try validate(message)
        let boundary = boundary ?? "=_selfsched_" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        var lines = [
            "Date: " + rfc5322Date(message.date ?? date),
            "From: " + mailbox(message.from),
            "To: " + message.to.map(mailbox).joined(separator: ",\r\n "),
            field("Subject", subject(message.subject)),
            "Message-ID: <\(message.messageID)>",
            "MIME-Version: 1.0",
        ]
        for (name, value) in message.headers.sorted(by: { $0.key < $1.key }) {
            lines.append(field(name, value))
        }
        if message.attachments.isEmpty {
            lines += ["Content-Type: multipart/alternative; boundary=\"\(boundary)\"", ""] + preamble
            lines += alternative(message, boundary: boundary)
        } else {
            // Neither boundary is a prefix of the other, so no delimiter line of one can be read as the other's.
            let mixed = "mixed" + boundary
            lines += ["Content-Type: multipart/mixed; boundary=\"\(mixed)\"", ""] + preamble
            lines += ["--" + mixed, "Content-Type: multipart/alternative; boundary=\"\(boundary)\"", ""]
            lines += alternative(message, boundary: boundary)
            for attachment in message.attachments {
                lines += ["--" + mixed] + self.attachment(attachment)
            }
            lines.append("--" + mixed + "--")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    private static let preamble = ["This is a multi-part message in MIME format."]

    /// The plain-text and the HTML part, closed.
    private static func alternative(_ message: MailMessage, boundary: String) -> [String] {
        var lines: [String] = []
        for (type, body) in [("text/plain", message.text), ("text/html", message.html)] {
            lines += [
                "--" + boundary,
                "Content-Type: \(type); charset=utf-8",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                MIMEEncoding.quotedPrintable(body),
            ]
        }
        return lines + ["--" + boundary + "--"]
    }

    /// One file's part: its type with the file name, `attachment` disposition, base64 in lines of 76.
    private static func attachment(_ file: MailAttachment) -> [String] {
        let name = MIMEEncoding.fileNameParameters(file.safeFileName, parameter: "filename")
        let type = MIMEEncoding.fileNameParameters(file.safeFileName, parameter: "name", asciiOnly: true)
        return [
            "Content-Type: \(file.contentType);\r\n " + type.joined(separator: ";\r\n "),
            "Content-Disposition: attachment;\r\n " + name.joined(separator: ";\r\n "),
            "Content-Transfer-Encoding: base64",
            "",
            MIMEEncoding.base64Lines(file.data),
        ]
    }

    /// Checks everything that goes into a header; `Mailer.enqueue` calls it so a bad message fails in the
    /// caller's transaction instead of in the outbox.
    package static func validate(_ message: MailMessage) throws(MailMessageError) {
        guard message.from.isValid, isSafe(message.from.name ?? "") else { throw .invalidAddress("sender") }
        guard !message.to.isEmpty else { throw .noRecipients }
        for recipient in message.to where !recipient.isValid || !isSafe(recipient.name ?? "") {
            throw .invalidAddress("recipient")
        }
        let id = message.messageID
        guard id.contains("@"), id.utf8.count <= 250,
            id.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 && $0 != "<" && $0 != ">" })
        else { throw .invalidMessageID }
        for (name, value) in message.headers {
            guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 && $0 != ":" }),
                isSafe(value)
            else { throw .unsafeHeader(String(name.prefix(40).filter { $0.isLetter || $0 == "-" })) }
            guard !reserved.contains(name.lowercased()) else { throw .reservedHeader(name) }
        }
        for attachment in message.attachments where !attachment.hasPlainContentType {
            throw .unsafeAttachment(attachment.safeFileName)
        }
    }

    /// No control characters at all (CR and LF among them); tabs are allowed.
    static func isSafe(_ value: String) -> Bool {
        value.unicodeScalars.allSatisfy { $0 == "\t" || !($0.value < 32 || $0.value == 127) }
    }

    static func subject(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 32 || $0.value == 127 ? " " : Character($0) })
    }

    static func field(_ name: String, _ value: String) -> String {
        "\(name): " + MIMEEncoding.headerText(value, used: name.count + 2)
    }

    /// `"Name" <address>` (the name quoted, or as encoded words when it is not ASCII), or the bare address.
    static func mailbox(_ mailbox: MailAddress) -> String {
        guard let name = mailbox.name, !name.isEmpty else { return mailbox.address }
        let ascii = name.unicodeScalars.allSatisfy { $0.value >= 32 && $0.value < 127 }
        let phrase =
            ascii
            ? "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                + "\""
            : MIMEEncoding.encodedWords(name, used: 4).joined(separator: "\r\n ")
        return "\(phrase) <\(mailbox.address)>"
    }

    /// `Mon, 30 Nov 2026 06:13:26 +0000`.
    package static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
