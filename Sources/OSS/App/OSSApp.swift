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
        partnerRelyingParty: RelyingParty, directRelyingParty: RelyingParty,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        try app.useServiceDatabase(config.database, migrations: OSSMigrations.all)
        try app.useBundledViews(Bundle.module)
        app.useStandardMiddleware(
            service: "oss", pages: true,
            dependencies: ["station": config.stationURL, "policy": config.policyURL, "identity": config.identityURL])
        let service = OSSService(config: config, database: app.serviceDatabase, downstream: downstream, now: now)
        app.storage[ServiceKey.self] = service
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

        let direct = FlowApp(audience: .direct, prefix: "", relyingParty: directRelyingParty)
        let directRoutes = app.grouped(
            WebSessionMiddleware(cookieName: "oss_session", secure: config.secureCookies, now: now))
        try directRoutes.register(collection: FlowAuthController(app: direct, service: service))
        let directSignedIn = directRoutes.grouped(RequireFlowSignIn(app: direct, service: service))
        try directSignedIn.register(collection: DirectController(app: direct, service: service))
        try directSignedIn.register(collection: DraftController(app: direct, service: service))

        // The handoff push API, for Express's machine token.
        let verifier = TokenVerifier(trustedIssuers: [config.machineIssuer], audience: "oss", keySource: machineKeys)
        try app.grouped(CurrentOSSRequestMiddleware()).registerOpenAPI(
            bearer: verifier, scopes: HandoffAPIHandler.scopes, HandoffAPIHandler(service: service).registerHandlers)
    }

    /// Delivers the due callbacks every second while OSS is served.
    static func outboxWorker(_ app: Application) throws -> RepeatingWork {
        let delivery = delivery(try service(app))
        return RepeatingWork("oss.outbox", every: .seconds(1)) { try await delivery.deliverDue() }
    }

    static func delivery(_ service: OSSService) -> OutboxDelivery {
        OutboxDelivery(service: service)
    }

    /// The production collaborators: Station, Policy and Express over HTTP, the two sign-in clients.
    package static func configureLive(_ app: Application, config: OSSConfig) throws {
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
                    redirectURI: config.publicURL + "/auth/callback")))
    }

    struct ServiceKey: StorageKey { typealias Value = OSSService }

    static func service(_ app: Application) throws -> OSSService {
        guard let service = app.storage[ServiceKey.self] else { throw ConfigurationError("OSS is not configured.") }
        return service
    }

    package static func prepare(_ app: Application) async throws {
        try await app.migrateDatabase()
    }

    /// Delivers the due callbacks now (for tests and `selfsched outbox replay`).
    @discardableResult
    package static func deliverOutbox(_ app: Application) async throws -> Int {
        try await delivery(service(app)).deliverDue()
    }

    /// `selfsched outbox status`: one line per delivery, newest first.
    package static func outboxStatus(_ app: Application) async throws -> [String] {
        let rows = try await OutboxModel.query(on: service(app).db).sort(\.$createdAt, .descending).limit(200).all()
        let formatter = ISO8601DateFormatter()
        let pending = rows.filter { $0.deliveredAt == nil && $0.failedAt == nil }.count
        let delivered = rows.filter { $0.deliveredAt != nil }.count
        let failed = rows.filter { $0.failedAt != nil }.count
        return ["pending \(pending), delivered \(delivered), failed \(failed)"]
            + rows.map { row in
                let state = row.deliveredAt != nil ? "delivered" : row.failedAt != nil ? "failed" : "pending"
                return
                    "\(row.deliveryID!.wire)  \(state.padding(toLength: 9, withPad: " ", startingAt: 0))  attempts \(row.attempts)  "
                    + "created \(formatter.string(from: row.createdAt))"
                    + (row.lastError.map { "  last error: \($0.prefix(120))" } ?? "")
            }
    }

    /// `selfsched outbox replay ID`: makes a delivery due again (even a delivered one; Express is idempotent).
    package static func replayOutbox(_ app: Application, id: OutboxDeliveryID) async throws -> String {
        let service = try service(app)
        guard let row = try await OutboxModel.find(id.rawValue, on: service.db) else {
            throw ConfigurationError("No outbox delivery \(id.rawValue).")
        }
        row.deliveredAt = nil
        row.failedAt = nil
        row.claimedUntil = nil
        row.nextAttemptAt = service.now()
        try await service.write { db in try await row.save(on: db) }
        let delivered = try await delivery(service).deliverDue()
        return delivered > 0 ? "delivered \(id.wire)" : "queued \(id.wire); Express did not accept it yet"
    }
}
