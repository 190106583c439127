import Foundation
import Testing

@testable import Platform

@Suite("Mail: SMTP protocol pieces")
struct MailSMTPTests {
    @Test("a line starting with a dot is doubled in DATA and the section ends with a lone dot")
    func dotStuffing() {
        let payload = SMTPTransport.dataPayload("Subject: x\r\n\r\n.\r\n..two\r\na.b\r\n.end")
        #expect(String(decoding: payload, as: UTF8.self) == "Subject: x\r\n\r\n..\r\n...two\r\na.b\r\n..end\r\n.\r\n")
    }

    @Test("multi-line replies are joined, even when their bytes arrive in pieces; EHLO extensions are read")
    func multiLineReply() throws {
        var parser = SMTPReplyParser()
        let greeting = try parser.feed(Array("220 mail.example.org ESMTP\r\n250-mail.example.org\r\n250-STAR".utf8))
        #expect(greeting == [SMTPReply(code: 220, lines: ["mail.example.org ESMTP"])])
        let replies = try parser.feed(Array("TTLS\r\n250-AUTH PLAIN LOGIN\r\n250 SIZE 1000\r\n354\r\n".utf8))
        #expect(replies.count == 2)
        let ehlo = replies[0]
        #expect(ehlo == SMTPReply(code: 250, lines: ["mail.example.org", "STARTTLS", "AUTH PLAIN LOGIN", "SIZE 1000"]))
        #expect(ehlo.offers("STARTTLS") && ehlo.offersAuth("PLAIN") && ehlo.offersAuth("LOGIN"))
        #expect(!ehlo.offersAuth("CRAM-MD5"))
        #expect(replies[1] == SMTPReply(code: 354, lines: [""]))
    }

    @Test("a reply that is not SMTP is refused: no code, a code changing mid-reply, or an endless line")
    func malformed() {
        var parser = SMTPReplyParser()
        #expect(throws: SMTPError.malformedReply) { try parser.feed(Array("HTTP/1.1 400\r\n".utf8)) }
        var mixed = SMTPReplyParser()
        #expect(throws: SMTPError.malformedReply) { try mixed.feed(Array("250-a\r\n550 b\r\n".utf8)) }
        var endless = SMTPReplyParser()
        #expect(throws: SMTPError.malformedReply) { try endless.feed(Array(repeating: UInt8(ascii: "2"), count: 5000)) }
    }

    @Test("5xx is a permanent failure and 4xx a transient one, and the error says which")
    func failureKinds() {
        let permanent = SMTPError.rejected(step: "RCPT TO", reply: SMTPReply(code: 550, lines: ["no such user"]))
        let transient = SMTPError.rejected(step: "MAIL FROM", reply: SMTPReply(code: 451, lines: ["try later"]))
        #expect(permanent.isPermanent && !transient.isPermanent && !SMTPError.timeout(step: "DATA").isPermanent)
        #expect(permanent.description == "SMTP permanent failure at RCPT TO: 550 no such user")
        #expect(transient.description == "SMTP transient failure at MAIL FROM: 451 try later")
    }

    @Test("SMTP_URL: STARTTLS by default, TLS for smtps://, tls=none and tls=starttls, credentials decoded")
    func configuration() throws {
        let plain = try SMTPConfiguration(url: "smtp://mail.example.org")
        #expect(plain.port == 25 && plain.security == .startTLSWhenOffered && plain.username == nil)
        let tls = try SMTPConfiguration(url: "smtps://u%40x:p%3Aw@mail.example.org")
        #expect(tls.port == 465 && tls.security == .implicitTLS && tls.username == "u@x" && tls.password == "p:w")
        #expect(tls.redactedURL == "smtps://u@x:***@mail.example.org:465")
        let local = try SMTPConfiguration(url: "smtp://127.0.0.1:2525?tls=none&timeout=5&helo=app.example.org")
        #expect(local.security == .none && local.port == 2525 && local.timeout == .seconds(5))
        #expect(local.heloName == "app.example.org")
        let required = try SMTPConfiguration(url: "smtp://h:587?tls=starttls")
        #expect(required.security == .startTLS)
        for bad in ["http://h", "smtp://", "smtp://h?tls=maybe", "smtp://h?timeout=soon", "smtp://h?ca=/nonexistent"] {
            #expect(throws: ConfigurationError.self) { try SMTPConfiguration(url: bad) }
        }
    }

    @Test("without SMTP_URL mail goes to files in the data directory; with it, to SMTP")
    func settings() throws {
        let files = try MailSettings.fromEnvironment([:], dataDirectory: "/data")
        #expect(files.transport() is FileMailTransport && files.from == MailSettings.defaultFrom)
        #expect(files.summary == "files in /data/mail")
        let smtp = try MailSettings.fromEnvironment(
            ["SMTP_URL": "smtp://u:secret@h:587", "MAIL_FROM": "Ops <ops@example.org>"], dataDirectory: "/data")
        #expect(smtp.transport() is SMTPTransport && smtp.from.address == "ops@example.org")
        #expect(!smtp.summary.contains("secret"))
    }
}
