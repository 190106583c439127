import Foundation

/// How this process sends mail: `SMTP_URL` (an SMTP server) or, when it is unset, `.eml` files under
/// `<data dir>/mail`; and who it is from (`MAIL_FROM`, default `SelfScheduling <no-reply@localhost>`).
package struct MailSettings: Sendable {
    package var from: MailAddress
    package var smtp: SMTPConfiguration?
    package var directory: URL

    package init(from: MailAddress, smtp: SMTPConfiguration?, dataDirectory: String) {
        self.from = from
        self.smtp = smtp
        self.directory = URL(fileURLWithPath: dataDirectory).appendingPathComponent("mail")
    }

    package static let defaultFrom = MailAddress(name: "SelfScheduling", address: "no-reply@localhost")

    package static func fromEnvironment(_ env: [String: String], dataDirectory: String) throws -> MailSettings {
        var from = defaultFrom
        if let text = env["MAIL_FROM"], !text.isEmpty {
            guard let parsed = MailAddress(parsing: text), MailRendering.isSafe(parsed.name ?? "") else {
                throw ConfigurationError("MAIL_FROM must be an address like `SelfScheduling <no-reply@example.org>`.")
            }
            from = parsed
        }
        let smtp = try env["SMTP_URL"].flatMap { $0.isEmpty ? nil : try SMTPConfiguration(url: $0) }
        return MailSettings(from: from, smtp: smtp, dataDirectory: dataDirectory)
    }

    /// SMTP when `SMTP_URL` is set, else files under `<data dir>/mail`.
    package func transport() -> any MailTransport {
        if let smtp { return SMTPTransport(smtp) }
        return FileMailTransport(directory: directory)
    }

    /// Where mail goes, for a start-up line (never the password).
    package var summary: String {
        smtp.map { "SMTP \($0.redactedURL)" } ?? "files in \(directory.path)"
    }
}
