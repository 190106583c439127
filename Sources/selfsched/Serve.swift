import ArgumentParser
import AsyncHTTPClient
import Express
import Identity
import OSS
import Platform
import Policy
import Station

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run every service (or some) in one process, with demo data on first start.")

    @OptionGroup var options: CommonOptions

    @Option(help: "Run only these services, comma-separated (identity, station, policy, express, oss).")
    var only: String?

    @Flag(help: "Do not load the demo data into empty databases (never loaded with SELFSCHED_ENV=production).")
    var noDemo = false

    static let known = ["identity", "station", "policy", "express", "oss"]

    func run() async throws {
        // The demo accounts' password is public: never in production.
        let production = options.environment["SELFSCHED_ENV"] == "production"
        let seedDemo = !noDemo && !production
        let selected = Set((only ?? Self.known.joined(separator: ",")).split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        })
        guard selected.isSubset(of: Self.known), !selected.isEmpty else {
            throw ValidationError("Unknown service in --only: \(selected.subtracting(Self.known).sorted().joined(separator: ", ")). Known: \(Self.known.joined(separator: ", ")).")
        }
        var services: [HostedService] = []
        var issuers = Set<String>()  // every issuer a started API trusts, checked once all are listening
        if selected.contains("identity") {
            let config = try options.identityConfig()
            let app = try await ServiceHost.makeApplication()
            let hook = try ExpressClaimsHook(expressURL: config.expressURL, tokens: ClosureTokenSource {
                try await IdentityApp.internalToken(app, audience: "express", scopes: ["express.claims.read"])
            })
            try IdentityApp.configure(app, config: config, hook: hook)
            try await IdentityApp.prepare(app, seedDemo: seedDemo)
            if production, case let found = try await IdentityApp.demoAccountsPresent(app), !found.isEmpty {
                throw ConfigurationError("This production database holds demo accounts with the public password "
                    + "(\(found.joined(separator: ", "))). Remove them, or point IDENTITY_DATABASE_URL at the production database.")
            }
            services.append(HostedService(name: "identity", endpoint: config.endpoint, app: app))
            if seedDemo {
                say("identity  demo accounts (password \(DemoIdentities.password)):")
                for account in DemoIdentities.accounts {
                    say("            \(account.email.padding(toLength: 28, withPad: " ", startingAt: 0)) \(account.note)")
                }
            }
        }
        if selected.contains("station") {
            let config = try options.stationConfig()
            issuers.formUnion(config.trustedIssuers)
            let app = try await ServiceHost.makeApplication()
            try StationApp.configure(app, config: config, keySource: DiscoveryJWKSSource(client: .shared))
            if try await StationApp.prepare(app, seedDemo: seedDemo) {
                say("station   loaded the demo data into \(config.database)")
            }
            services.append(HostedService(name: "station", endpoint: config.endpoint, app: app))
        }
        if selected.contains("policy") {
            let config = try options.policyConfig()
            issuers.formUnion(config.trustedIssuers)
            let app = try await ServiceHost.makeApplication()
            try PolicyApp.configure(app, config: config, keySource: DiscoveryJWKSSource(client: .shared))
            services.append(HostedService(name: "policy", endpoint: config.endpoint, app: app))
        }
        if selected.contains("express") {
            let config = try options.expressConfig()
            let app = try await ServiceHost.makeApplication()
            try ExpressApp.configure(app, config: config, dependencies: try .live(config))
            if try await ExpressApp.prepare(app, seedDemo: seedDemo) {
                say("express   loaded the demo partners, users and flags into \(config.database)")
            }
            services.append(HostedService(name: "express", endpoint: config.endpoint, app: app))
        }
        if selected.contains("oss") {
            let config = try options.ossConfig()
            let app = try await ServiceHost.makeApplication()
            try OSSApp.configureLive(app, config: config)
            try await OSSApp.prepare(app)
            services.append(HostedService(name: "oss", endpoint: config.endpoint, app: app))
        }
        say("SelfScheduling is starting; press Ctrl-C to stop.")
        try await ServiceHost.run(services, announce: { say($0) }, afterStart: { try await Self.checkIssuers(issuers) })
    }

    /// Every trusted issuer's discovery document must name that issuer: a moved identity provider with a stale
    /// issuer list stops the start here, not at the first token. One that cannot be reached yet is only reported.
    static func checkIssuers(_ issuers: Set<String>) async throws {
        let source = DiscoveryJWKSSource(client: .shared)
        for issuer in issuers.sorted() {
            do {
                try await source.checkDiscovery(of: issuer)
            } catch let mismatch as IssuerMismatch {
                throw ConfigurationError(mismatch.description)
            } catch {
                say("warning   could not check the trusted issuer \(issuer) yet: \(error)")
            }
        }
    }
}
