import ArgumentParser
import Foundation

@main
struct SelfSched: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selfsched",
        abstract: "SelfScheduling: partner self-scheduling for home-based care.",
        subcommands: [Serve.self, Migrate.self, Seed.self, StationCommand.self, IdentityCommand.self, TokenCommand.self, FlagsCommand.self, AuditCommand.self, OutboxCommand.self, SmokeCommand.self])
}

/// Prints a status line at once, unbuffered, so it reaches a log file or pipe as it happens.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
