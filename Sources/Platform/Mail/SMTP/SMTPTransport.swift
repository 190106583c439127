import Foundation
import NIOCore
import NIOSSL

/// Sends mail to an SMTP server (RFC 5321) over SwiftNIO: EHLO, STARTTLS when offered or required (or TLS from
/// the start for smtps://), AUTH PLAIN or LOGIN when the URL has credentials, MAIL FROM, RCPT TO for each
/// recipient, DATA with dot-stuffing, QUIT. One connection per message.
package struct SMTPTransport: MailTransport {
    package var configuration: SMTPConfiguration

    package init(_ configuration: SMTPConfiguration) { self.configuration = configuration }

    package func send(_ message: MailMessage) async throws {
        let rendered = try MailRendering.render(message)
        try await deliver(from: message.from.address, to: message.to.map(\.address), content: rendered)
    }

    /// Delivers already rendered content (CRLF lines) to `recipients`.
    package func deliver(from sender: String, to recipients: [String], content: String) async throws {
        let config = configuration
        let timeout = TimeAmount.nanoseconds(
            config.timeout.components.seconds * 1_000_000_000 + config.timeout.components.attoseconds / 1_000_000_000)
        let serverName = (try? SocketAddress(ipAddress: config.host, port: 0)) == nil ? config.host : nil
        let tls = config.security == .none ? nil : try makeTLSContext()
        var connection = try await SMTPConnection.connect(
            host: config.host, port: config.port, tls: config.security == .implicitTLS ? tls : nil,
            serverName: serverName, timeout: timeout)
        do {
            try await connection.expect(220...220, step: "the greeting")
            var ehlo = try await connection.command("EHLO \(config.heloName)", step: "EHLO")
            if let tls, !connection.isEncrypted {
                if ehlo.offers("STARTTLS") {
                    try await connection.command("STARTTLS", step: "STARTTLS", expecting: 220...220)
                    try await connection.startTLS(tls, serverName: serverName)
                    ehlo = try await connection.command("EHLO \(config.heloName)", step: "EHLO after STARTTLS")
                } else if config.security == .startTLS {
                    throw SMTPError.startTLSUnavailable
                }
            }
            if let username = config.username {
                guard connection.isEncrypted || config.security == .none else { throw SMTPError.credentialsNeedTLS }
                try await authenticate(connection, ehlo: ehlo, username: username, password: config.password ?? "")
            }
            try await connection.command("MAIL FROM:<\(sender)>", step: "MAIL FROM")
            for (index, recipient) in recipients.enumerated() {
                try await connection.command(
                    "RCPT TO:<\(recipient)>", step: "RCPT TO (recipient \(index + 1) of \(recipients.count))")
            }
            try await connection.command("DATA", step: "DATA", expecting: 354...354)
            try await connection.write(Self.dataPayload(content))
            try await connection.expect(250...259, step: "the end of DATA")
            _ = try? await connection.command("QUIT", step: "QUIT", expecting: 200...299)
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
    }

    private func authenticate(_ connection: SMTPConnection, ehlo: SMTPReply, username: String, password: String)
        async throws
    {
        let base64 = { (text: String) in Data(text.utf8).base64EncodedString() }
        if ehlo.offersAuth("PLAIN") {
            try await connection.command(
                "AUTH PLAIN " + base64("\0\(username)\0\(password)"), step: "AUTH PLAIN", expecting: 235...235)
        } else if ehlo.offersAuth("LOGIN") {
            try await connection.command("AUTH LOGIN", step: "AUTH LOGIN", expecting: 334...334)
            try await connection.command(base64(username), step: "AUTH LOGIN (user)", expecting: 334...334)
            try await connection.command(base64(password), step: "AUTH LOGIN (password)", expecting: 235...235)
        } else {
            throw SMTPError.authenticationUnavailable
        }
    }

    private func makeTLSContext() throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = configuration.trustedCAFile {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(file))
        }
        return try NIOSSLContext(configuration: tls)
    }

    /// The DATA section: CRLF lines, a line starting with "." doubled (RFC 5321 4.5.2), then the lone ".".
    package static func dataPayload(_ content: String) -> [UInt8] {
        var lines = content.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        var bytes: [UInt8] = []
        for line in lines {
            if line.hasPrefix(".") { bytes.append(UInt8(ascii: ".")) }
            bytes += Array(line.utf8) + [13, 10]
        }
        return bytes + Array(".\r\n".utf8)
    }
}
