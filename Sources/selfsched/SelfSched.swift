import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

@main
enum Entrypoint {
    static func main() async {
        // Swift concurrency runs on the same event loops as the HTTP servers and clients, so an async handler does
        // not hop threads for every await (a third of a list request's CPU went to those hops; docs/BENCHMARKS.md).
        // Must happen first, on the main thread; nothing here blocks on a future with `wait()`.
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await SelfSched.main()
    }
}

struct SelfSched: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selfsched",
        abstract: "SelfScheduling: partner self-scheduling for home-based care.",
        subcommands: [
            Serve.self, Migrate.self, Seed.self, StationCommand.self, IdentityCommand.self, TokenCommand.self,
            FlagsCommand.self, UsersCommand.self, AuditCommand.self, OutboxCommand.self, MailCommand.self,
            SmokeCommand.self, TOTPCommand.self,
            ClientAssertionCommand.self,
            AnalyticsCommand.self, ExperimentsCommand.self,
        ])
}

/// Prints a status line at once, unbuffered, so it reaches a log file or pipe as it happens.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
