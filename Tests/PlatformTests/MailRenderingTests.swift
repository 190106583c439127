import Foundation
import Testing

@testable import Platform

@Suite("Mail rendering")
struct MailRenderingTests {
    static let date = Date(timeIntervalSince1970: 1_795_000_000)

    static func message(
        subject: String = "Your visit is scheduled", headers: [String: String] = [:], to: [MailAddress]? = nil
    ) -> MailMessage {
        MailMessage(
            from: MailAddress(name: "SelfScheduling", address: "no-reply@example.org"),
            to: to ?? [MailAddress(name: "Ana", address: "ana@example.org"), MailAddress(address: "ops@example.org")],
            subject: subject, text: "Hello Ana,\nyour visit = booked. Grüße\n",
            html: "<p>Hello Ana, <a href=\"https://example.org/r/1\">your visit</a></p>",
            headers: headers, messageID: "m-1@example.org")
    }

    static func render(_ message: MailMessage) throws -> String {
        try MailRendering.render(message, date: date, boundary: "=_b")
    }

    /// The header block, unfolded, one entry per field.
    static func headerLines(_ rendered: String) -> [String] {
        let block = rendered.components(separatedBy: "\r\n\r\n")[0]
        return block.replacingOccurrences(of: "\r\n ", with: " ").components(separatedBy: "\r\n")
    }

    @Test("every line ends in CRLF and the message is multipart/alternative: plain text first, then HTML")
    func bothParts() throws {
        let rendered = try Self.render(Self.message())
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        let parts = rendered.components(separatedBy: "\r\n--=_b")
        #expect(parts.count == 4)
        #expect(parts[1].hasPrefix("\r\nContent-Type: text/plain; charset=utf-8\r\n"))
        #expect(
            parts[1].contains(
                "Content-Transfer-Encoding: quoted-printable\r\n\r\nHello Ana,\r\nyour visit =3D booked. Gr=C3=BC=C3=9Fe\r\n"
            ))
        #expect(parts[2].hasPrefix("\r\nContent-Type: text/html; charset=utf-8\r\n"))
        #expect(parts[2].contains("<a href=3D\"https://example.org/r/1\">your visit</a>"))
        #expect(parts[3] == "--\r\n")
    }

    @Test("headers: Date, From, To with every recipient, Subject, Message-ID, MIME-Version and the extra headers")
    func headers() throws {
        let rendered = try Self.render(
            Self.message(headers: [
                "List-Unsubscribe": "<https://example.org/unsubscribe/t0k>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            ]))
        #expect(
            Self.headerLines(rendered) == [
                "Date: " + MailRendering.rfc5322Date(Self.date),
                "From: \"SelfScheduling\" <no-reply@example.org>",
                "To: \"Ana\" <ana@example.org>, ops@example.org",
                "Subject: Your visit is scheduled",
                "Message-ID: <m-1@example.org>",
                "MIME-Version: 1.0",
                "List-Unsubscribe: <https://example.org/unsubscribe/t0k>",
                "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
                "Content-Type: multipart/alternative; boundary=\"=_b\"",
            ])
        #expect(MailRendering.rfc5322Date(Self.date) == "Wed, 18 Nov 2026 11:06:40 +0000")
    }

    @Test("a non-ASCII subject and display name become RFC 2047 encoded words that decode back")
    func encodedSubject() throws {
        let subject = "Besuch bestätigt – Ihr Termin am Dienstag zwischen 9 und 11 Uhr für Frau Müller"
        let rendered = try Self.render(
            Self.message(subject: subject, to: [MailAddress(name: "Zoë Ørsted", address: "z@example.org")]))
        let fields = Self.headerLines(rendered)
        let subjectField = try #require(fields.first { $0.hasPrefix("Subject: ") })
        #expect(subjectField.hasPrefix("Subject: =?UTF-8?B?"))
        let ascii = subjectField.allSatisfy(\.isASCII)
        #expect(ascii)
        #expect(MIMEEncoding.decodeHeaderText(String(subjectField.dropFirst(9))) == subject)
        let to = fields.first { $0.hasPrefix("To: ") }
        #expect(to?.hasPrefix("To: =?UTF-8?B?") == true && to?.hasSuffix(" <z@example.org>") == true)
        for line in rendered.components(separatedBy: "\r\n") { #expect(line.count <= 78) }
    }

    @Test("a long ASCII subject is folded at spaces and reads back whole")
    func foldedSubject() throws {
        let subject = Array(repeating: "status", count: 30).joined(separator: " ")
        let rendered = try Self.render(Self.message(subject: subject))
        for line in rendered.components(separatedBy: "\r\n") { #expect(line.count <= 78) }
        let headers = MailFolder.headers(rendered)
        let folded = try #require(headers["subject"])
        #expect(MIMEEncoding.decodeHeaderText(folded) == subject)
    }

    @Test("quoted-printable keeps lines within 76 characters and encodes =, trailing spaces and non-ASCII")
    func quotedPrintable() {
        let long = String(repeating: "abcdefghij", count: 20)
        let encoded = MIMEEncoding.quotedPrintable(long + "\nend = here \nü")
        for line in encoded.components(separatedBy: "\r\n") { #expect(line.count <= 76) }
        #expect(encoded.hasSuffix("\r\nend =3D here=20\r\n=C3=BC"))
        #expect(encoded.replacingOccurrences(of: "=\r\n", with: "").hasPrefix(long + "\r\n"))
    }
}
