import Fluent
import Foundation
import IdentityManagementAPI
import Leaf
import OpenAPIVapor
import Platform
import Vapor

/// Identity's one wiring point, shared by `selfsched` and the tests.
package enum IdentityApp {
    package static func configure(
        _ app: Application, config: IdentityConfig, hook: any PostLoginHook,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        try app.useServiceDatabase(config.database, migrations: IdentityMigrations.all)
        try app.useBundledViews(Bundle.module)
        app.useStandardMiddleware(service: "identity", maxBodyBytes: 16 * 1024, pages: true)
        try app.serveStylesheets(own: "identity", bundle: Bundle.module)

        let sealing = try SealingKeyFile.load(config)
        let keys = SigningKeyStore(
            database: app.serviceDatabase, sealing: sealing,
            legacyDirectory: URL(fileURLWithPath: config.dataDirectory).appendingPathComponent("identity-keys"),
            tokenLifetime: config.tokenLifetime, reloadInterval: config.keyReloadInterval,
            activationDelay: config.keyActivationDelay, clock: now)
        guard (4...31).contains(config.passwordHashCost) else {
            throw ConfigurationError("The bcrypt cost must be 4 to 31 (10 by default), not \(config.passwordHashCost).")
        }
        // Made now rather than on the first sign-in with an unknown email, which would wait for it.
        _ = IdentityService.decoyHash(cost: config.passwordHashCost)
        let service = IdentityService(
            config: config, database: app.serviceDatabase, keys: keys, sealing: sealing, hook: hook, now: now)
        app.storage[ServiceKey.self] = service
        app.useOutbox(
            OutboxWorker(
                name: "identity", database: app.serviceDatabase, routes: [Mailer.route(config.mail.transport())],
                now: now))
        try app.register(collection: OIDCController(service: service))
        try app.register(collection: RecoveryController(service: service))
        try app.register(collection: SignUpController(service: service))
        try app.register(collection: SecondFactorController(service: service))
        let verifier = TokenVerifier(
            trustedIssuers: [config.issuer(.staff)], audience: "identity", keySource: LocalJWKSSource(keys: keys))
        try app.registerOpenAPI(
            bearer: verifier, scopes: ManagementAPIHandler.scopes,
            ManagementAPIHandler(service: service).registerHandlers)
    }

    struct ServiceKey: StorageKey { typealias Value = IdentityService }

    static func service(_ app: Application) throws -> IdentityService {
        guard let service = app.storage[ServiceKey.self] else {
            throw ConfigurationError("Identity is not configured.")
        }
        return service
    }

    /// Migrates, registers the clients and accounts of `IDENTITY_CONFIG_FILE` when set, and, when `seedDemo`,
    /// the demo clients and accounts that are missing, under Identity's startup lock (one instance at a time).
    /// Returns the demo client secrets (generated into the data directory on first run).
    @discardableResult
    package static func prepare(_ app: Application, seedDemo: Bool) async throws -> [String: String] {
        try await app.withStartupLock(definition.name) {
            try await app.migrateDatabase()
            let environment = ProcessInfo.processInfo.environment
            if let path = environment["IDENTITY_CONFIG_FILE"] {
                try await ConfiguredIdentities.load(path).register(with: try service(app), environment: environment)
            }
            guard seedDemo else { return [:] }
            return try await DemoSeeder(service: service(app)).seed()
        }
    }

    /// Rotates the signing keys in Identity's database: every instance on it publishes the new key within its key
    /// reload interval and signs with it once it is `keyActivationDelay` old. Returns the new key id.
    package static func rotateKeys(_ app: Application) async throws -> String {
        try await service(app).keys.rotate()
    }

    /// Signs an access token for an internal caller (Identity's own post-login hook calls Express with it).
    package static func internalToken(_ app: Application, audience: String, scopes: [String]) async throws -> String {
        let service = try service(app)
        return try await service.minter.accessToken(
            issuer: service.config.issuer(.staff), subject: "identity", audience: audience, scopes: scopes,
            clientID: "identity", claims: nil, tenant: .staff, now: service.now()
        ).token
    }
}
