import Foundation
import Testing

@testable import Platform

@Suite("Mail: files in the data directory")
struct MailFolderTests {
    @Test("FileMailTransport writes owner-only .eml files that `mail list` reads back newest first")
    func writeAndList() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let transport = FileMailTransport(directory: directory)
        let from = MailAddress(address: "no-reply@example.org")
        for (offset, subject) in ["Première visite", "Second"].enumerated() {
            try await transport.send(
                MailMessage(
                    from: from, to: [MailAddress(name: "Ana", address: "ana@example.org")], subject: subject,
                    text: "t", html: "h", date: Date(timeIntervalSince1970: 1_795_000_000 + Double(offset) * 60)))
        }
        let entries = try MailFolder(directory: directory).entries()
        #expect(entries.map(\.subject) == ["Second", "Première visite"])
        #expect(entries.map(\.to) == ["\"Ana\" <ana@example.org>", "\"Ana\" <ana@example.org>"])
        #expect(entries.first?.date == Date(timeIntervalSince1970: 1_795_000_060))
        let file = directory.appendingPathComponent(try #require(entries.first?.file))
        #expect(file.lastPathComponent.hasPrefix("20261118T110740.000Z-"))
        let permissions = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        let content = try String(contentsOf: file, encoding: .utf8)
        #expect(content.contains("\r\nContent-Type: text/html; charset=utf-8\r\n"))
    }

    @Test("an empty or missing folder lists nothing")
    func empty() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("none-\(UUID().uuidString)")
        let entries = try MailFolder(directory: missing).entries()
        #expect(entries.isEmpty)
    }
}
