import ArgumentParser
import Foundation
import Platform
import SelfSchedServices

struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "A service's outbox: OSS's callbacks and mail, Station's events, Express's mail and webhooks.",
        subcommands: [Status.self, Replay.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show pending, delivered and failed messages.")
        @OptionGroup var options: CommonOptions
        @Option(help: "Whose outbox: oss, station or express.") var service = "oss"

        func run() async throws {
            try await outbox(of: service).outboxStatus(options.settings).forEach(say)
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deliver one message again now (receivers ignore duplicates).")
        @OptionGroup var options: CommonOptions
        @Option(help: "Whose outbox: oss, station or express.") var service = "oss"
        @Argument(help: "The message's id, from `selfsched outbox status`.") var id: String

        func run() async throws {
            guard let message = UUID(uuidString: id) else { throw ValidationError("\(id) is not a message id.") }
            say(try await outbox(of: service).replayOutbox(message, options.settings))
        }
    }
}

/// The service whose outbox `--service` names.
private func outbox(of service: String) throws -> ServiceDefinition {
    guard ["oss", "station", "express"].contains(service), let definition = ServiceRegistry.all.named([service]).first
    else { throw ValidationError("--service must be oss, station or express, not \(service).") }
    return definition
}
