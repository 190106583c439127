import ConsoleDomain
import Fluent
import Foundation
import Platform
import Vapor

/// Console, the provider's own application: nurse triage, the dispatch board and partner onboarding. Its one
/// wiring point, shared by `selfsched` and the tests.
package enum ConsoleApp {
    package static func configure(
        _ app: Application, config: ConsoleConfig, dependencies: ConsoleDependencies,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        try app.useServiceDatabase(config.database, migrations: ConsoleMigrations.all)
        try app.useBundledViews(Bundle.module)
        app.useStandardMiddleware(
            service: "console", pages: true,
            dependencies: ["station": config.stationURL, "identity": config.identityURL])
        let service = ConsoleService(
            config: config, database: app.serviceDatabase, station: dependencies.station, policy: dependencies.policy,
            express: dependencies.express, tracker: dependencies.tracker, now: now)
        app.storage[ServiceKey.self] = service
        app.storage[FollowerKey.self] = StationEventFollower(
            feed: dependencies.station.client(tokens: dependencies.stationMachineTokens),
            store: LiveEventStore(database: service.database), hub: service.live, now: now)
        try app.serveStylesheets()
        try app.serveLiveScript()

        // Identity tells Console when a person signed out elsewhere (server to server: no session, no CSRF token).
        BackChannelLogout.register(on: app, "auth", "backchannel-logout", relyingParty: dependencies.relyingParty) {
            app.db
        }
        let web = app.grouped(
            WebSessionMiddleware(cookieName: "console_session", secure: config.secureCookies, now: now))
        try web.register(collection: AuthController(service: service, relyingParty: dependencies.relyingParty))
        let signedIn = web.grouped(RequireSignIn(now: now)).grouped(RequireCSRF()).grouped(PageErrors())
        try signedIn.register(collection: HomeController())
        try signedIn.register(collection: ResumeController())
        try signedIn.register(collection: LiveController(service: service))
        // Each feature's pages, behind its role.
        try signedIn.grouped(RequireRole(.nurse)).register(collection: TriageController(service: service))
        try signedIn.grouped(RequireRole(.dispatcher)).register(collection: BoardController(service: service))
        let operations = signedIn.grouped(RequireRole(.operationsAdmin))
        try operations.register(collection: AdminController(service: service))
        try operations.register(collection: FunnelController(service: service))
    }

    struct ServiceKey: StorageKey { typealias Value = ConsoleService }
    struct FollowerKey: StorageKey { typealias Value = StationEventFollower }

    static func service(_ app: Application) throws -> ConsoleService {
        guard let service = app.storage[ServiceKey.self] else { throw ConfigurationError("Console is not configured.") }
        return service
    }

    /// The follower of Station's event feed that feeds this instance's live pages.
    package static func follower(_ app: Application) throws -> StationEventFollower {
        guard let follower = app.storage[FollowerKey.self] else {
            throw ConfigurationError("Console is not configured.")
        }
        return follower
    }

    /// Migrates Console's database, under its startup lock (one instance at a time); it has no demo data of its
    /// own: the demo staff live in Identity.
    package static func prepare(_ app: Application) async throws {
        try await app.withStartupLock(definition.name) { try await app.migrateDatabase() }
    }
}
