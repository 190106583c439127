import Fluent
import Foundation
import OSSAPI
import OpenAPIVapor
import Platform
import Vapor
import Vocabulary

/// OSS's one wiring point, shared by `selfsched` and the tests.
package enum OSSApp {
    package static func configure(
        _ app: Application, config: OSSConfig, downstream: Downstream, machineKeys: any JWKSSource,
        partnerRelyingParty: RelyingParty, directRelyingParty: RelyingParty, analytics: OSSAnalytics = .unobserved,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        try app.useServiceDatabase(config.database, migrations: OSSMigrations.all)
        try app.useBundledViews(Bundle.module)
        app.useStandardMiddleware(
            service: "oss", pages: true,
            dependencies: ["station": config.stationURL, "policy": config.policyURL, "identity": config.identityURL])
        let service = OSSService(
            config: config, database: app.serviceDatabase, downstream: downstream, now: now,
            tracker: analytics.tracker, experiments: analytics.experiments(app.serviceDatabase))
        app.storage[ServiceKey.self] = service
        let routes = try outboxRoutes(service)
        app.useOutbox(OutboxWorker(name: "oss", database: app.serviceDatabase, routes: routes, now: now))
        try app.serveStylesheets(own: "oss", bundle: Bundle.module)

        // Two apps, two tenants, two sessions: a session of one is never read on the other's paths.
        let partner = FlowApp(audience: .partner, prefix: "/partner", relyingParty: partnerRelyingParty)
        let partnerRoutes = app.grouped("partner").grouped(
            WebSessionMiddleware(cookieName: "oss_partner_session", secure: config.secureCookies, now: now))
        try partnerRoutes.register(collection: FlowAuthController(app: partner, service: service))
        // Identity tells each app when a person signed out elsewhere (server to server: no session, no CSRF token).
        BackChannelLogout.register(on: app, "partner", "auth", "backchannel-logout", relyingParty: partnerRelyingParty)
        { app.db }
        BackChannelLogout.register(on: app, "auth", "backchannel-logout", relyingParty: directRelyingParty) { app.db }
        let partnerSignedIn = partnerRoutes.grouped(RequireFlowSignIn(app: partner, service: service))
        partnerSignedIn.get { req in
            try await req.ossNotice(
                .ok, app: partner, title: "Start from Express",
                message: "New care requests for your patients start in Express with “New care request”.",
                linkURL: config.expressURL, linkText: "Go to Express")
        }
        try partnerSignedIn.register(collection: HandoffController(app: partner, service: service))
        try partnerSignedIn.register(collection: DraftController(app: partner, service: service))
        try partnerSignedIn.register(collection: ChangeController(app: partner, service: service))

        let direct = FlowApp(audience: .direct, prefix: "", relyingParty: directRelyingParty)
        let directRoutes = app.grouped(
            WebSessionMiddleware(cookieName: "oss_session", secure: config.secureCookies, now: now))
        try directRoutes.register(collection: FlowAuthController(app: direct, service: service))
        let directSignedIn = directRoutes.grouped(RequireFlowSignIn(app: direct, service: service))
        try directSignedIn.register(collection: DirectController(app: direct, service: service))
        try directSignedIn.register(collection: PeopleController(app: direct, service: service))
        try directSignedIn.register(collection: DraftController(app: direct, service: service))
        try directSignedIn.register(collection: ChangeController(app: direct, service: service))
        // Patients' emails: one-click unsubscribe (the signed link is the credential, no session needed).
        try directRoutes.register(collection: UnsubscribeController(app: direct, service: service))

        // The handoff push API, for Express's machine token; Station's events, signed instead.
        let verifier = TokenVerifier(trustedIssuers: [config.machineIssuer], audience: "oss", keySource: machineKeys)
        try app.grouped(CurrentOSSRequestMiddleware()).registerOpenAPI(
            bearer: verifier, scopes: HandoffAPIHandler.scopes, withoutBearer: HandoffAPIHandler.signedWithoutBearer,
            middlewares: [WebhookVerificationMiddleware(signatures: HandoffAPIHandler.signatures(config), now: now)],
            HandoffAPIHandler(service: service).registerHandlers)
    }

    /// The production collaborators: Station, Policy and Express over HTTP, the two sign-in clients, analytics
    /// through `pipeline`.
    package static func configureLive(_ app: Application, config: OSSConfig, analytics pipeline: AnalyticsPipeline)
        throws
    {
        try configure(
            app, config: config, downstream: try .live(config), machineKeys: DiscoveryJWKSSource(client: .shared),
            partnerRelyingParty: RelyingParty(
                .init(
                    issuer: config.partnerIssuer, clientID: "oss-partner-web",
                    clientSecret: config.partnerClientSecret,
                    redirectURI: config.publicURL + "/partner/auth/callback")),
            directRelyingParty: RelyingParty(
                .init(
                    issuer: config.directIssuer, clientID: "oss-d2m-web",
                    clientSecret: config.directClientSecret,
                    redirectURI: config.publicURL + "/auth/callback")),
            analytics: .live(pipeline))
    }

    struct ServiceKey: StorageKey { typealias Value = OSSService }

    static func service(_ app: Application) throws -> OSSService {
        guard let service = app.storage[ServiceKey.self] else { throw ConfigurationError("OSS is not configured.") }
        return service
    }

    /// Migrates OSS's database, under its startup lock (one instance at a time).
    package static func prepare(_ app: Application) async throws {
        try await app.withStartupLock(definition.name) { try await app.migrateDatabase() }
    }
}
