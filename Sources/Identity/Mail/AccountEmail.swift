import Fluent
import Foundation
import Platform
import Vocabulary

/// One of Identity's emails (an invitation, a password reset, a sign-up verification, a notice that an address
/// has no account): a greeting, a few paragraphs, at most one button-like link, and the closing line. Plain text
/// and HTML carry the same words; the link is the only secret in it and nothing else identifies a patient.
struct AccountEmail: Sendable, Equatable {
    var subject: String
    var greeting: String
    var paragraphs: [String]
    /// The one action: its words and its URL.
    var action: (label: String, url: String)?
    /// A line after the action (for example how long the link is valid).
    var footer: String?

    static func == (lhs: AccountEmail, rhs: AccountEmail) -> Bool {
        lhs.subject == rhs.subject && lhs.greeting == rhs.greeting && lhs.paragraphs == rhs.paragraphs
            && lhs.action?.label == rhs.action?.label && lhs.action?.url == rhs.action?.url
            && lhs.footer == rhs.footer
    }

    var text: String {
        var lines = [greeting, ""]
        for paragraph in paragraphs { lines += [paragraph, ""] }
        if let action { lines += ["\(action.label):", action.url, ""] }
        if let footer { lines += [footer, ""] }
        lines.append("— SelfScheduling")
        return lines.joined(separator: "\n")
    }

    var html: String {
        var parts = ["<p>\(HTMLText.escape(greeting))</p>"]
        parts += paragraphs.map { "<p>\(HTMLText.escape($0))</p>" }
        if let action {
            parts.append(
                "<p><a href=\"\(HTMLText.escape(action.url))\">\(HTMLText.escape(action.label))</a></p>")
        }
        if let footer { parts.append("<p>\(HTMLText.escape(footer))</p>") }
        parts.append("<p>— SelfScheduling</p>")
        return "<!doctype html><html><body>" + parts.joined() + "</body></html>"
    }
}

extension IdentityService {
    /// Queues `email` to `address` in the caller's transaction (the Platform mailer: sent by Identity's outbox
    /// worker, with retries), so it leaves if and only if the change it carries commits.
    func queue(_ email: AccountEmail, to address: MailAddress, on db: any Database) async throws {
        try await Mailer.enqueue(
            MailMessage(
                from: config.mail.from, to: [address], subject: email.subject, text: email.text, html: email.html),
            at: now(), on: db)
    }
}
