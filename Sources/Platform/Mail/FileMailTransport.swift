import Foundation

/// The embedded default: each message written as `<data dir>/mail/<UTC time>-<id>.eml`, the exact bytes an
/// SMTP server would receive, which any mail client opens. The folder is owner-only (mail names people).
package struct FileMailTransport: MailTransport {
    package var directory: URL
    package var now: @Sendable () -> Date

    package init(directory: URL, now: @escaping @Sendable () -> Date = { Date() }) {
        self.directory = directory
        self.now = now
    }

    /// `<dataDirectory>/mail`.
    package init(dataDirectory: String) {
        self.init(directory: URL(fileURLWithPath: dataDirectory).appendingPathComponent("mail"))
    }

    package func send(_ message: MailMessage) async throws {
        let sentAt = now()
        let rendered = try MailRendering.render(message, date: sentAt)
        try FilePrivacy.ensureDirectory(directory)
        let file = directory.appendingPathComponent(Self.fileName(for: message, at: message.date ?? sentAt))
        try Data(rendered.utf8).write(to: file, options: .atomic)
        FilePrivacy.restrict([file.path])
    }

    /// `20261130T061326.123Z-<id>.eml`: sorts by time; the id keeps two messages of one millisecond apart.
    static func fileName(for message: MailMessage, at date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        let id = message.messageID.prefix { $0 != "@" }.filter {
            $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-")
        }
        return "\(formatter.string(from: date))-\(id.prefix(64)).eml"
    }
}
