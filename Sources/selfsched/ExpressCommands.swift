import ArgumentParser
import Express
import Foundation
import Platform

struct FlagsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flags", abstract: "Turn a partner's Express features on or off.",
        subcommands: [Set.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a flag: station_care_requests (phase 1) or oss_handoff (phase 2).",
            discussion: "Example: selfsched flags set --partner sunrise oss_handoff on")

        @OptionGroup var options: CommonOptions
        @Option(help: "The partner's slug (sunrise) or id.") var partner: String
        @Argument(help: "station_care_requests or oss_handoff.") var flag: String
        @Argument(help: "on or off.") var state: String

        func run() async throws {
            guard ["on", "off"].contains(state) else {
                throw ValidationError("The state must be on or off, not \(state).")
            }
            let config = try options.expressConfig()
            let result = try await ServiceHost.withApplication { app in
                try ExpressApp.configure(app, config: config, dependencies: try .live(config))
                try await ExpressApp.prepare(app, seedDemo: false)
                return try await ExpressApp.setFlag(app, partner: partner, flag: flag, enabled: state == "on")
            }
            say(result)
        }
    }
}

struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Look after Express users an admin cannot.",
        subcommands: [Synthetic.self])

    struct Synthetic: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark a user as the synthetic-monitoring (smoke check) account, or back as a person.",
            discussion:
                "Its care requests are archived as they are made and appear in no list; its visits are not analytics. "
                + "Example: selfsched users synthetic monitor@sunrise.example on")

        @OptionGroup var options: CommonOptions
        @Argument(help: "The user's email.") var email: String
        @Argument(help: "on or off.") var state: String

        func run() async throws {
            guard ["on", "off"].contains(state) else {
                throw ValidationError("The state must be on or off, not \(state).")
            }
            let config = try options.expressConfig()
            let result = try await ServiceHost.withApplication { app in
                try ExpressApp.configure(app, config: config, dependencies: try .live(config))
                try await ExpressApp.prepare(app, seedDemo: false)
                return try await ExpressApp.setSynthetic(app, email: email, synthetic: state == "on")
            }
            say(result)
        }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Read Express's audit trail.",
        subcommands: [Export.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print audit events as JSON lines, oldest first.")

        @OptionGroup var options: CommonOptions
        @Option(help: "Only events at or after this time (ISO 8601, or a date YYYY-MM-DD).") var since: String?
        @Option(help: "Only events about this care request id.") var careRequest: String?

        func run() async throws {
            var start: Date?
            if let since {
                let withTime = ISO8601DateFormatter()
                let dateOnly = ISO8601DateFormatter()
                dateOnly.formatOptions = [.withFullDate]
                guard let parsed = withTime.date(from: since) ?? dateOnly.date(from: since) else {
                    throw ValidationError("--since must be an ISO 8601 time or a date such as 2026-11-29.")
                }
                start = parsed
            }
            let config = try options.expressConfig()
            try await ServiceHost.withApplication { app in
                try ExpressApp.configure(app, config: config, dependencies: try .live(config))
                try await ExpressApp.prepare(app, seedDemo: false)
                try await ExpressApp.exportAudit(app, since: start, careRequest: careRequest) { say($0) }
            }
        }
    }
}
