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
            abstract: "Publish a new signing key and sign with it after a delay; the old one stays published.",
            discussion: """
                The keys live in Identity's database (IDENTITY_DATABASE_URL), sealed with Identity's sealing key \
                (IDENTITY_SEALING_KEY, or <data dir>/identity-keys/totp.key): run this with the same two settings as \
                the running instances. Each instance reads the keys again every IDENTITY_KEY_RELOAD_SECONDS \
                (default 5) and publishes the new key from then on, but signs with the old one until the new one is \
                two reload intervals plus the APIs' JWKS refresh interval (10 s) old, 20 s by default, so that every \
                API can find the new key before it meets it. No restart is needed.
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
                "identity  new signing key \(kid) is published by every running Identity on this database within "
                    + "\(Int(config.keyReloadInterval)) seconds and signs from \(Int(config.keyActivationDelay)) "
                    + "seconds after now; the old key signs until then and stays published until its tokens expire"
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
