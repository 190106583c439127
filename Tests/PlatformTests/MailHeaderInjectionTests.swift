import Foundation
import Testing

@testable import Platform

@Suite("Mail: no header injection")
struct MailHeaderInjectionTests {
    static func message(
        from: MailAddress = MailAddress(address: "no-reply@example.org"),
        to: [MailAddress] = [MailAddress(address: "ana@example.org")], subject: String = "Hello",
        headers: [String: String] = [:]
    ) -> MailMessage {
        MailMessage(from: from, to: to, subject: subject, text: "t", html: "h", headers: headers, messageID: "x@y")
    }

    @Test("line breaks in a subject become spaces: no header can be added through it")
    func subject() throws {
        let rendered = try MailRendering.render(Self.message(subject: "Hi\r\nBcc: evil@example.com\nX: 1"))
        let lines = rendered.components(separatedBy: "\r\n")
        let added = lines.filter { $0.hasPrefix("Bcc:") || $0.hasPrefix("X:") }
        #expect(added.isEmpty)
        #expect(lines.contains("Subject: Hi  Bcc: evil@example.com X: 1"))
    }

    @Test("a header value, header name, address or display name with a line break is refused")
    func refused() {
        #expect(throws: MailMessageError.unsafeHeader("List-Unsubscribe")) {
            try MailRendering.render(Self.message(headers: ["List-Unsubscribe": "<https://x>\r\nBcc: evil@x"]))
        }
        #expect(throws: MailMessageError.unsafeHeader("XBccevil")) {
            try MailRendering.render(Self.message(headers: ["X\r\nBcc: evil": "1"]))
        }
        #expect(throws: MailMessageError.invalidAddress("recipient")) {
            try MailRendering.render(Self.message(to: [MailAddress(address: "a@example.org>\r\nRCPT TO:<evil@x")]))
        }
        #expect(throws: MailMessageError.invalidAddress("recipient")) {
            try MailRendering.render(Self.message(to: [MailAddress(name: "Ana\r\nBcc: e@x", address: "a@example.org")]))
        }
        #expect(throws: MailMessageError.invalidAddress("sender")) {
            try MailRendering.render(Self.message(from: MailAddress(address: "no reply@example.org")))
        }
        #expect(throws: MailMessageError.noRecipients) { try MailRendering.render(Self.message(to: [])) }
    }

    @Test("headers the renderer writes cannot be set or repeated through extra headers")
    func reserved() {
        #expect(throws: MailMessageError.reservedHeader("bcc")) {
            try MailRendering.render(Self.message(headers: ["bcc": "evil@example.com"]))
        }
        #expect(throws: MailMessageError.reservedHeader("Content-Type")) {
            try MailRendering.render(Self.message(headers: ["Content-Type": "text/plain"]))
        }
    }

    @Test("MAIL_FROM is parsed with or without a display name, and a bad one is refused")
    func mailFrom() throws {
        #expect(
            MailAddress(parsing: "SelfScheduling <no-reply@example.org>")
                == MailAddress(
                    name: "SelfScheduling", address: "no-reply@example.org"))
        #expect(MailAddress(parsing: "\"Ops, Team\" <ops@example.org>")?.name == "Ops, Team")
        #expect(MailAddress(parsing: "ops@example.org") == MailAddress(address: "ops@example.org"))
        #expect(MailAddress(parsing: "not an address") == nil)
        #expect(throws: ConfigurationError.self) {
            try MailSettings.fromEnvironment(["MAIL_FROM": "x <a@b>\r\nBcc: c@d"], dataDirectory: "/tmp")
        }
    }
}
