import Foundation

/// One email: a plain-text and an HTML part of the same content, the files attached to it, and the extra headers
/// it needs (for notifications `List-Unsubscribe` and `List-Unsubscribe-Post`). It is what the outbox stores for
/// the mail destination, so it stays Codable (and reads rows queued before attachments existed).
package struct MailMessage: Codable, Sendable, Equatable {
    package var from: MailAddress
    package var to: [MailAddress]
    package var subject: String
    package var text: String
    package var html: String
    package var headers: [String: String]
    /// Files sent with it (multipart/mixed around the text and HTML); usually none.
    package var attachments: [MailAttachment]
    /// Message-ID without the angle brackets; also the outbox message id, so a message is queued once.
    package var messageID: String
    /// The `Date` header; when nil, the time the message was queued (or sent, outside the outbox).
    package var date: Date?

    package init(
        from: MailAddress, to: [MailAddress], subject: String, text: String, html: String,
        headers: [String: String] = [:], attachments: [MailAttachment] = [], messageID: String? = nil,
        date: Date? = nil
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.headers = headers
        self.attachments = attachments
        self.messageID = messageID ?? MailMessage.newMessageID(domain: from.domain)
        self.date = date
    }

    /// Decodes what ``encode(to:)`` writes; a message queued before attachments existed has none.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        from = try container.decode(MailAddress.self, forKey: .from)
        to = try container.decode([MailAddress].self, forKey: .to)
        subject = try container.decode(String.self, forKey: .subject)
        text = try container.decode(String.self, forKey: .text)
        html = try container.decode(String.self, forKey: .html)
        headers = try container.decode([String: String].self, forKey: .headers)
        attachments = try container.decodeIfPresent([MailAttachment].self, forKey: .attachments) ?? []
        messageID = try container.decode(String.self, forKey: .messageID)
        date = try container.decodeIfPresent(Date.self, forKey: .date)
    }

    /// A fresh, globally unique Message-ID (`<random>@<domain>`, without the brackets).
    package static func newMessageID(domain: String) -> String {
        "\(UUID().uuidString.lowercased())@\(domain)"
    }
}
