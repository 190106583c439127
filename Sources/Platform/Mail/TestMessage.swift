import Foundation

extension MailMessage {
    /// What `selfsched mail send-test` sends: proves SMTP settings without any data of the product.
    package static func test(from: MailAddress, to: MailAddress, subject: String, date: Date = Date()) -> MailMessage {
        let sent = MailRendering.rfc5322Date(date)
        return MailMessage(
            from: from, to: [to], subject: subject,
            text: "This is a test message from SelfScheduling, sent \(sent).\n\nIf you can read it, mail works.\n",
            html: """
                <!doctype html><html><body><p>This is a test message from <strong>SelfScheduling</strong>, \
                sent \(sent).</p><p>If you can read it, mail works.</p></body></html>
                """,
            headers: ["X-SelfScheduling-Test": "yes"], date: date)
    }
}
