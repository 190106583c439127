import ArgumentParser
import Foundation
import Platform

struct MailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail",
        abstract: "Outgoing mail: the messages written to the data directory, and a test message through SMTP_URL.",
        subcommands: [List.self, SendTest.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the .eml files under <data dir>/mail (written when SMTP_URL is unset), newest first.")
        @OptionGroup var options: CommonOptions

        func run() async throws {
            let folder = MailFolder(dataDirectory: options.dataDir)
            let entries = try folder.entries()
            guard !entries.isEmpty else { return say("No mail in \(folder.directory.path).") }
            for entry in entries {
                let time = entry.date.map { $0.formatted(.iso8601) } ?? "-"
                say("\(time)  \(entry.to)  \(entry.subject)  (\(entry.file))")
            }
        }
    }

    struct SendTest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "send-test",
            abstract: "Send a test message now, through SMTP_URL (or into <data dir>/mail when it is unset).")
        @OptionGroup var options: CommonOptions
        @Option(help: "The recipient's address.") var to: String
        @Option(help: "The subject.") var subject = "SelfScheduling test message"

        func run() async throws {
            let settings = try MailSettings.fromEnvironment(options.environment, dataDirectory: options.dataDir)
            guard let recipient = MailAddress(parsing: to) else { throw ValidationError("\(to) is not an address.") }
            let message = MailMessage.test(from: settings.from, to: recipient, subject: subject)
            try await settings.transport().send(message)
            say("Sent <\(message.messageID)> via \(settings.summary).")
        }
    }
}
