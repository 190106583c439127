import Foundation
import Testing
import Vocabulary

@testable import Platform

@Suite("Mail attachments")
struct MailAttachmentTests {
    static let date = Date(timeIntervalSince1970: 1_795_000_000)

    static let visit = VisitCalendarEvent(
        careRequest: CareRequestID(wire: "6f1c2a9e-0b7d-4c1e-9a55-3f2d8e7b1c40")!,
        window: DateInterval(
            start: Date(timeIntervalSince1970: 1_796_000_400), end: Date(timeIntervalSince1970: 1_796_007_600)),
        sequence: 2, cancelled: true, stamp: date)

    static func message(_ attachments: [MailAttachment]) -> MailMessage {
        MailMessage(
            from: MailAddress(address: "no-reply@example.org"), to: [MailAddress(address: "ana@example.org")],
            subject: "Your visit was cancelled", text: "Hello Ana,\nyour visit = cancelled.\n",
            html: "<p>Hello Ana</p>", attachments: attachments, messageID: "m-1@example.org")
    }

    static func render(_ message: MailMessage) throws -> String {
        try MailRendering.render(message, date: date, boundary: "=_b")
    }

    /// The parts between `--boundary` lines (without the preamble and the closing delimiter's epilogue).
    static func parts(_ body: String, boundary: String) -> [String] {
        let pieces = body.components(separatedBy: "\r\n--\(boundary)")
        return pieces.dropFirst().filter { !$0.hasPrefix("--") }.map { String($0.unicodeScalars.dropFirst(2)) }
    }

    /// A part's header lines (unfolded) and its body.
    static func split(_ part: String) -> (headers: [String], body: String) {
        let halves = part.components(separatedBy: "\r\n\r\n")
        let headers = halves[0].replacingOccurrences(of: "\r\n ", with: " ").components(separatedBy: "\r\n")
        return (headers, halves.dropFirst().joined(separator: "\r\n\r\n"))
    }

    @Test("an attachment wraps the unchanged text and HTML in multipart/mixed and follows them as base64")
    func mixed() throws {
        let plain = try Self.render(Self.message([]))
        let rendered = try Self.render(Self.message([MailAttachment(Self.visit)]))
        #expect(rendered.contains("\r\nContent-Type: multipart/mixed; boundary=\"mixed=_b\"\r\n"))
        #expect(!plain.contains("multipart/mixed"))
        let outer = Self.parts(rendered, boundary: "mixed=_b")
        try #require(outer.count == 2)
        #expect(rendered.hasSuffix("\r\n--mixed=_b--\r\n"))
        // The first part is exactly the alternative part a message without attachments has.
        let alternative = Self.split(outer[0])
        #expect(alternative.headers == ["Content-Type: multipart/alternative; boundary=\"=_b\""])
        let plainBody = plain.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        #expect("This is a multi-part message in MIME format.\r\n" + alternative.body + "\r\n" == plainBody)

        let file = Self.split(outer[1])
        #expect(
            file.headers == [
                "Content-Type: text/calendar; charset=utf-8; method=CANCEL; name=\"home-visit-6f1c2a9e.ics\"",
                "Content-Disposition: attachment; filename=\"home-visit-6f1c2a9e.ics\"",
                "Content-Transfer-Encoding: base64",
            ])
        let lines = file.body.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.count <= 76 })
        #expect(lines.dropLast().allSatisfy { $0.count == 76 })
        let decoded = try #require(Data(base64Encoded: lines.joined()))
        #expect(String(decoding: decoded, as: UTF8.self) == Self.visit.ics)
    }

    @Test("a file name cannot add a header or a path: control characters, quotes and folders are dropped")
    func hostileFileName() throws {
        let hostile = MailAttachment(
            fileName: "../../etc/visit\"\r\nBcc: evil@example.com\r\n\u{202E}scI.ics", contentType: "text/plain",
            data: Data("x".utf8))
        #expect(hostile.safeFileName == "visitBcc: evil@example.comscI.ics")
        let rendered = try Self.render(Self.message([hostile]))
        let lines = rendered.components(separatedBy: "\r\n")
        #expect(!lines.contains { $0.hasPrefix("Bcc:") })
        #expect(lines.contains(" filename=\"visitBcc: evil@example.comscI.ics\""))
        #expect(MailAttachment(fileName: "/../", contentType: "text/plain", data: Data()).safeFileName == "attachment")
        #expect(
            MailAttachment(fileName: ".htaccess", contentType: "text/plain", data: Data()).safeFileName == "htaccess")
        let long = MailAttachment(
            fileName: String(repeating: "a", count: 300) + ".ics", contentType: "a/b", data: Data())
        #expect(long.safeFileName.count == 100 && long.safeFileName.hasSuffix("a.ics"))
    }

    @Test("a non-ASCII file name is RFC 2231 UTF-8, long names continue on lines of at most 76 characters")
    func internationalFileName() throws {
        #expect(
            MIMEEncoding.fileNameParameters("Besuch für Zoë.ics", parameter: "filename")
                == ["filename*=UTF-8''Besuch%20f%C3%BCr%20Zo%C3%AB.ics"])
        #expect(
            MIMEEncoding.fileNameParameters("Besuch für Zoë.ics", parameter: "name", asciiOnly: true)
                == ["name=\"Besuch f_r Zo_.ics\""])
        let long = String(repeating: "ü", count: 40) + ".ics"
        let continued = MIMEEncoding.fileNameParameters(long, parameter: "filename")
        #expect(continued.count > 1)
        #expect(continued[0].hasPrefix("filename*0*=UTF-8''%C3%BC"))
        #expect(continued[1].hasPrefix("filename*1*=%C3%BC"))
        #expect(continued.allSatisfy { $0.count + 2 <= 76 })
        let joined = continued.map { String($0.split(separator: "=", maxSplits: 1)[1]) }.joined()
        #expect(joined.dropFirst("UTF-8''".count).removingPercentEncoding == long)
        let ascii = MIMEEncoding.fileNameParameters(String(repeating: "b", count: 90), parameter: "filename")
        #expect(
            ascii == [
                "filename*0=\"\(String(repeating: "b", count: 60))\"",
                "filename*1=\"\(String(repeating: "b", count: 30))\"",
            ])
    }

    @Test("a content type that is not type/subtype with token parameters is refused before anything is queued")
    func unsafeContentType() {
        for type in ["text/calendar\r\nBcc: evil@example.com", "text/calendar; name=\"x\"", "text", "text/plain; a"] {
            let message = Self.message([MailAttachment(fileName: "a.txt", contentType: type, data: Data())])
            #expect(throws: MailMessageError.unsafeAttachment("a.txt")) { try MailRendering.validate(message) }
        }
        #expect(throws: Never.self) { try MailRendering.validate(Self.message([MailAttachment(Self.visit)])) }
    }

    @Test("the outbox's JSON keeps attachments, and a message queued before them still reads (none)")
    func codable() throws {
        let message = Self.message([MailAttachment(Self.visit)])
        let data = try JSONEncoder().encode(message)
        #expect(try JSONDecoder().decode(MailMessage.self, from: data) == message)
        var old = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        old["attachments"] = nil
        let stored = try JSONSerialization.data(withJSONObject: old)
        let decoded = try JSONDecoder().decode(MailMessage.self, from: stored)
        #expect(decoded.attachments.isEmpty)
        #expect(decoded == Self.message([]))
    }
}
