import Platform
import Vapor

extension IdentityApp {
    /// Identity with its live post-login hook: Express's claims, asked with an access token Identity signs itself.
    package static func configureLive(_ app: Application, config: IdentityConfig) throws {
        let hook = try ExpressClaimsHook(
            expressURL: config.expressURL,
            tokens: ClosureTokenSource {
                try await internalToken(app, audience: "express", scopes: ["express.claims.read"])
            })
        try configure(app, config: config, hook: hook)
    }

    /// Identity as `selfsched` runs it. In production it refuses a database that holds the demo accounts, whose
    /// password is public.
    package static let definition = ServiceDefinition(name: "identity") { app, settings in
        let config = try IdentityConfig.fromEnvironment(settings.environment, dataDirectory: settings.dataDirectory)
        try configureLive(app, config: config)
        return BuiltService(
            endpoint: config.endpoint, database: config.database,
            workers: config.runOutboxWorker ? [try app.outboxWorker().repeatingWork()] : []
        ) { preparation in
            try await prepare(app, seedDemo: preparation.seedsDemo)
            guard preparation != .migrate else { return [] }
            // The signing keys now: a key sealed under another sealing key stops the start with its reason.
            try await service(app).keys.load()
            if settings.production, case let found = try await demoAccountsPresent(app), !found.isEmpty {
                throw ConfigurationError(
                    "This production database holds demo accounts with the public password "
                        + "(\(found.joined(separator: ", "))). Remove them, or point IDENTITY_DATABASE_URL at the production database."
                )
            }
            guard preparation.seedsDemo else { return [] }
            return ["identity  demo accounts (password \(DemoIdentities.password)):"]
                + DemoIdentities.accounts.map { account in
                    "            \(account.email.padding(toLength: 28, withPad: " ", startingAt: 0)) \(account.note)"
                        + (account.hasSecondFactor ? " (two-step sign-in)" : "")
                }
                + [
                    "          two-step sign-in: demo secret \(DemoIdentities.totpSecret); "
                        + "`selfsched totp \(DemoIdentities.totpSecret)` prints the current code"
                ]
        }
    }
}
