import ArgumentParser
import Foundation
import OSS
import Platform

struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "OSS's callbacks to Express: status and replay.",
        subcommands: [Status.self, Replay.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show pending, delivered and failed callbacks.")
        @OptionGroup var options: CommonOptions

        func run() async throws {
            let config = try options.ossConfig()
            let lines = try await ServiceHost.withApplication { app in
                try OSSApp.configureLive(app, config: config)
                try await OSSApp.prepare(app)
                return try await OSSApp.outboxStatus(app)
            }
            lines.forEach(say)
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deliver one callback again now (Express ignores duplicates).")
        @OptionGroup var options: CommonOptions
        @Argument(help: "The delivery's id, from `selfsched outbox status`.") var id: String

        func run() async throws {
            guard let delivery = UUID(uuidString: id).map(OutboxDeliveryID.init(rawValue:)) else {
                throw ValidationError("\(id) is not a delivery id.")
            }
            let config = try options.ossConfig()
            let result = try await ServiceHost.withApplication { app in
                try OSSApp.configureLive(app, config: config)
                try await OSSApp.prepare(app)
                return try await OSSApp.replayOutbox(app, id: delivery)
            }
            say(result)
        }
    }
}
