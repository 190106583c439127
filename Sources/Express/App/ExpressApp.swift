import ExpressDomain
import ExpressInternalAPI
import ExpressPartnerAPI
import Fluent
import Foundation
import OpenAPIVapor
import Platform
import Vapor
import Vocabulary

/// The collaborators Express talks to; `live` builds the HTTP ones from the configuration.
package struct ExpressDependencies: Sendable {
    package var station: any StationGateway
    package var handoffs: any HandoffGateway
    package var accounts: any AccountProvisioner
    /// Partners' EHR backend clients at the identity provider (the EHR connections page).
    package var backendClients: any BackendClientRegistry
    /// Product analytics (Segment's `track`, `identify`, `group`); live, Express's ``AnalyticsPipeline``.
    package var tracker: Tracker
    /// Verifies the bearer tokens of the internal API (machine tenant) and the partner API (user tenant).
    package var internalKeys: any JWKSSource
    package var partnerKeys: any JWKSSource
    package var relyingParty: RelyingParty

    package init(
        station: any StationGateway, handoffs: any HandoffGateway, accounts: any AccountProvisioner,
        tracker: Tracker,
        internalKeys: any JWKSSource, partnerKeys: any JWKSSource, relyingParty: RelyingParty,
        backendClients: any BackendClientRegistry = NoBackendClientRegistry()
    ) {
        self.station = station
        self.handoffs = handoffs
        self.accounts = accounts
        self.backendClients = backendClients
        self.tracker = tracker
        self.internalKeys = internalKeys
        self.partnerKeys = partnerKeys
        self.relyingParty = relyingParty
    }

    /// `analytics` is the pipeline `serve` runs a worker for; a one-shot command gets one of its own.
    package static func live(_ config: ExpressConfig, analytics: AnalyticsPipeline? = nil) throws
        -> ExpressDependencies
    {
        func tokens(_ audience: String, _ scopes: [String]) -> ClientCredentialsTokenSource {
            ClientCredentialsTokenSource(
                issuer: config.machineIssuer, clientID: config.machineClientID,
                clientSecret: config.machineClientSecret, audience: audience, scopes: scopes)
        }
        let keys = DiscoveryJWKSSource(client: .shared)
        return ExpressDependencies(
            station: try HTTPStationGateway(
                stationURL: config.stationURL,
                tokens: tokens("station", ["station.patients.read", "station.care_requests.read"])),
            handoffs: try HTTPHandoffGateway(ossURL: config.ossURL, tokens: tokens("oss", ["oss.handoffs.create"])),
            accounts: try HTTPAccountProvisioner(
                identityURL: config.identityURL, tokens: tokens("identity", ["identity.accounts.write"])),
            tracker: Tracker(app: .express, sink: analytics ?? AnalyticsPipeline(settings: config.analytics)),
            internalKeys: keys, partnerKeys: keys,
            relyingParty: RelyingParty(
                .init(
                    issuer: config.userIssuer, clientID: config.clientID, clientSecret: config.clientSecret,
                    redirectURI: "\(config.publicURL)/auth/callback")),
            backendClients: try HTTPBackendClientRegistry(
                identityURL: config.identityURL, tokens: tokens("identity", ["identity.clients.write"])))
    }
}

/// Express's one wiring point, shared by `selfsched` and the tests.
package enum ExpressApp {
    package static func configure(
        _ app: Application, config: ExpressConfig, dependencies: ExpressDependencies,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        try app.useServiceDatabase(config.database, migrations: ExpressMigrations.all)
        try app.useBundledViews(Bundle.module)
        app.useStandardMiddleware(
            service: "express", pages: true,
            dependencies: ["station": config.stationURL, "identity": config.identityURL])
        let service = ExpressService(
            config: config, database: app.serviceDatabase, station: dependencies.station,
            handoffs: dependencies.handoffs, accounts: dependencies.accounts,
            backendClients: dependencies.backendClients, tracker: dependencies.tracker, now: now)
        app.storage[ServiceKey.self] = service
        app.useOutbox(
            OutboxWorker(name: "express", database: app.serviceDatabase, routes: try outboxRoutes(service), now: now))
        try app.serveStylesheets()
        try app.serveLiveScript()

        // One-click unsubscribe from notification emails: the signed link is the credential (no session, no CSRF).
        try app.register(collection: UnsubscribeController(service: service))

        // Browser pages: a session of Express's own, sign-in, CSRF on every form.
        // Identity tells Express when a person signed out elsewhere (server to server: no session, no CSRF token).
        BackChannelLogout.register(on: app, "auth", "backchannel-logout", relyingParty: dependencies.relyingParty) {
            app.db
        }
        let web = app.grouped(
            WebSessionMiddleware(cookieName: "express_session", secure: config.secureCookies, now: now))
        try web.register(collection: AuthController(service: service, relyingParty: dependencies.relyingParty))
        let signedIn = web.grouped(RequireSignIn(service: service)).grouped(RequireCSRF())
        signedIn.get { req in req.redirect(to: "/care-requests") }
        try signedIn.register(collection: CareRequestsController(service: service))
        try signedIn.register(collection: CareRequestChangesController(service: service))
        try signedIn.register(collection: LiveController(service: service))
        try signedIn.register(collection: PatientsController(service: service))
        try signedIn.register(collection: NewCareRequestController(service: service))
        try signedIn.register(collection: UsersController(service: service))
        try signedIn.register(collection: WebhooksController(service: service))
        try signedIn.register(collection: EHRConnectionsController(service: service))
        try signedIn.register(collection: ProfileController(service: service))

        // Internal API: machine tokens of the identity provider's machine tenant.
        let internalVerifier = TokenVerifier(
            trustedIssuers: [config.machineIssuer], audience: "express", keySource: dependencies.internalKeys)
        let signature = WebhookVerificationMiddleware(
            signatures: [
                "receiveCareRequestCallback": WebhookSignature(secret: config.webhookSecret),
                "receiveStationEvent": WebhookSignature(secret: config.stationEventsSecret),
            ], now: now)
        try app.registerOpenAPI(
            bearer: internalVerifier, scopes: InternalAPIHandler.scopes,
            withoutBearer: InternalAPIHandler.signedWithoutBearer, middlewares: [signature],
            InternalAPIHandler(service: service).registerHandlers)

        // Partner API: partner users' own access tokens.
        app.serveOpenAPIDocument("api", "v1", "openapi.yaml", yaml: try ExpressPartnerAPIDocument.yaml())
        let partnerVerifier = TokenVerifier(
            trustedIssuers: [config.userIssuer], audience: "express", keySource: dependencies.partnerKeys)
        try app.grouped(CurrentRequestMiddleware()).registerOpenAPI(
            bearer: partnerVerifier, scopes: PartnerAPIHandler.scopes, serverURL: "/api/v1",
            PartnerAPIHandler(service: service).registerHandlers)
    }

    struct ServiceKey: StorageKey { typealias Value = ExpressService }

    static func service(_ app: Application) throws -> ExpressService {
        guard let service = app.storage[ServiceKey.self] else { throw ConfigurationError("Express is not configured.") }
        return service
    }

    /// Migrates and loads the demo partners, users and flags into an empty database, under Express's startup lock
    /// (one instance at a time). Returns whether it seeded.
    @discardableResult
    package static func prepare(_ app: Application, seedDemo: Bool) async throws -> Bool {
        try await app.withStartupLock(definition.name) {
            try await app.migrateDatabase()
            guard seedDemo else { return false }
            return try await DemoSeeder(service: service(app)).seedIfEmpty()
        }
    }

    /// Marks a user as synthetic monitoring (the smoke check's account) or back as a person; audited. Only an
    /// operator can: no page or API sets it, since a synthetic user's requests leave every list.
    package static func setSynthetic(_ app: Application, email: String, synthetic: Bool) async throws -> String {
        let service = try service(app)
        guard let user = try await service.user(email: email) else {
            throw ConfigurationError("No Express user \(email).")
        }
        user.synthetic = synthetic
        let log = service.audit
        try await service.write { db in
            try await user.save(on: db)
            try await log.record(
                AuditEntry(action: "users.synthetic", outcome: "success", detail: "synthetic=\(synthetic)"),
                .commandLine(user: user.userID, partner: user.partner), on: db)
        }
        return
            "\(user.email) is \(synthetic ? "now a synthetic-monitoring user" : "no longer a synthetic-monitoring user")"
    }

    /// `selfsched flags set`: turns a partner's feature on or off, by partner slug or id.
    package static func setFlag(_ app: Application, partner: String, flag: String, enabled: Bool) async throws -> String
    {
        let service = try service(app)
        guard let feature = FeatureFlag(rawValue: flag) else {
            throw ConfigurationError(
                "Unknown flag \(flag). Flags: \(FeatureFlag.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        var found = try await PartnerID(wire: partner).asyncFlatMap { try await service.partner($0) }
        if found == nil { found = try await PartnerModel.query(on: service.db).filter(\.$slug == partner).first() }
        guard let found, let id = found.id.map(PartnerID.init(rawValue:)) else {
            throw ConfigurationError("No partner \(partner) in Express.")
        }
        let inEffect = try await SetFeatureFlag(service: service)(
            feature, enabled: enabled, partner: id, origin: .commandLine()
        )
        .contains(feature)
        let waiting = enabled && !inEffect
        return "\(found.slug): \(feature.rawValue) is \(enabled ? "on" : "off")"
            + (waiting ? " (not in effect until \(FeatureFlag.stationCareRequests.rawValue) is on too)" : "")
    }

    /// `selfsched audit export`: audit events as JSON lines, oldest first.
    package static func exportAudit(_ app: Application, since: Date?, careRequest: String?, write: (String) -> Void)
        async throws
    {
        try await service(app).audit.export(since: since, careRequest: careRequest, write: write)
    }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
