import Foundation

/// One email: a plain-text and an HTML part of the same content, and the extra headers it needs (for
/// notifications `List-Unsubscribe` and `List-Unsubscribe-Post`). It is what the outbox stores for the mail
/// destination, so it stays Codable.
package struct MailMessage: Codable, Sendable, Equatable {
    package var from: MailAddress
    package var to: [MailAddress]
    package var subject: String
    package var text: String
    package var html: String
    package var headers: [String: String]
    /// Message-ID without the angle brackets; also the outbox message id, so a message is queued once.
    package var messageID: String
    /// The `Date` header; when nil, the time the message was queued (or sent, outside the outbox).
    package var date: Date?

    package init(
        from: MailAddress, to: [MailAddress], subject: String, text: String, html: String,
        headers: [String: String] = [:], messageID: String? = nil, date: Date? = nil
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.headers = headers
        self.messageID = messageID ?? MailMessage.newMessageID(domain: from.domain)
        self.date = date
    }

    /// A fresh, globally unique Message-ID (`<random>@<domain>`, without the brackets).
    package static func newMessageID(domain: String) -> String {
        "\(UUID().uuidString.lowercased())@\(domain)"
    }
}
