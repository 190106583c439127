import ArgumentParser
import Foundation
import Identity
import Platform

struct IdentityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity", abstract: "Operate Identity, the OpenID Connect provider.",
        subcommands: [RotateKeys.self])

    struct RotateKeys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-keys",
            abstract: "Make a new signing key active; the old one stays published until its tokens expire.",
            discussion: """
                The keys live in Identity's database (IDENTITY_DATABASE_URL), sealed with Identity's sealing key \
                (IDENTITY_SEALING_KEY, or <data dir>/identity-keys/totp.key): run this with the same two settings as \
                the running instances. Each instance reads the keys again every IDENTITY_KEY_RELOAD_SECONDS \
                (default 5) and signs with the new key from then on; no restart is needed.
                """)

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let config = try options.identityConfig()
            let kid = try await ServiceHost.withApplication { app in
                try IdentityApp.configure(app, config: config, hook: RefusingHook())
                try await IdentityApp.prepare(app, seedDemo: false)
                return try await IdentityApp.rotateKeys(app)
            }
            say(
                "identity  new signing key \(kid) is active; every running Identity on this database signs with it within "
                    + "\(Int(config.keyReloadInterval)) seconds and keeps publishing the old key until its tokens expire"
            )
        }
    }
}

/// For commands that never sign anyone in.
struct RefusingHook: PostLoginHook {
    func claims(forEmail email: String) async throws -> HookDecision {
        .refuse("Sign-in is not available from the command line.")
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Print a machine-to-machine access token from a running Identity (for operators and curl).")

    @OptionGroup var options: CommonOptions

    @Option(help: "The OAuth client (its secret is read from the data directory).") var client = "cli-m2m"
    @Option(help: "The API the token is for.") var audience = "station"
    @Option(help: "Space-separated scopes; all the client may have when omitted.") var scope: String?
    @Option(help: "The tenant the client belongs to.") var tenant = "staff"

    func run() async throws {
        let config = try options.identityConfig()
        let secrets = try DevelopmentSecrets.ensure([], in: options.dataDir)
        guard let secret = ProcessInfo.processInfo.environment["CLIENT_SECRET"] ?? secrets[client] else {
            throw ValidationError(
                "No secret for \(client) in \(options.dataDir)/secrets.json; start `selfsched serve` once or set CLIENT_SECRET."
            )
        }
        let source = ClientCredentialsTokenSource(
            issuer: config.issuer(Tenant(rawValue: tenant) ?? .staff), clientID: client,
            clientSecret: secret, audience: audience,
            scopes: scope.map { $0.split(separator: " ").map(String.init) } ?? [])
        say(try await source.token())
    }
}
