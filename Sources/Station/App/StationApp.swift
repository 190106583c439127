import Fluent
import Foundation
import OpenAPIVapor
import Platform
import StationAPI
import StationDomain
import Vapor
import Vocabulary

/// Station's one wiring point, shared by `selfsched` and the tests.
package enum StationApp {
    /// Wires Station into `app`: database, migrations, middleware, the generated API and its document.
    package static func configure(
        _ app: Application, config: StationConfig, keySource: any JWKSSource,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        try app.useServiceDatabase(config.database, migrations: StationMigrations.all)
        app.stationEventSubscribers = config.eventSubscribers.map(\.name)
        app.backgroundPlanSearch = BackgroundPlanSearch()
        let routes = try outboxRoutes(app, config: config)
        app.useOutbox(OutboxWorker(name: "station", database: app.serviceDatabase, routes: routes, now: now))
        app.useStandardMiddleware(service: "station", maxBodyBytes: config.maxBodyBytes, pages: false)
        app.serveOpenAPIDocument("openapi.yaml", yaml: try StationAPIDocument.yaml())

        let verifier = TokenVerifier(
            trustedIssuers: config.trustedIssuers, audience: config.audience, keySource: keySource)
        let handler = StationAPIHandler(store: store(app, now: now), supportPhone: config.supportPhone)
        try app.registerOpenAPI(
            bearer: verifier, scopes: StationAPIHandler.scopes,
            middlewares: [
                TokenReachMiddleware(
                    referenceOperations: StationAPIHandler.referenceOperations,
                    staffOperations: StationAPIHandler.staffOperations)
            ],
            handler.registerHandlers)
        try FHIRRoutes.register(app, config: config, store: store(app, now: now), verifier: verifier)
        try SchedulingLinksRoutes.register(app, config: config, store: store(app, now: now))
        if case .failure(let error) = StationStore.zipLocator {
            app.logger.error("dispatch planning is unavailable: \(error)")
        }
    }

    static func store(_ app: Application, now: @escaping @Sendable () -> Date = { Date() }) -> StationStore {
        StationStore(
            database: app.serviceDatabase, now: now, eventSubscribers: app.stationEventSubscribers,
            planSearch: app.backgroundPlanSearch)
    }

    /// Migrates the database and loads the demo data when it is empty, one instance at a time. Returns whether
    /// it seeded.
    @discardableResult
    package static func prepare(_ app: Application, seedDemo: Bool) async throws -> Bool {
        try await migrateAndSeed(app, seedDemo: seedDemo)
    }

    /// Adds `careRequests` synthetic care requests over `partners` new partners.
    package static func seedScale(
        _ app: Application, careRequests: Int, partners: Int,
        progress: @escaping @Sendable (String) -> Void
    ) async throws -> (partners: Int, patients: Int, careRequests: Int) {
        try await prepare(app, seedDemo: true)
        let summary = try await ScaleSeeder(store: store(app), partnerCount: partners, progress: progress)
            .seed(careRequests: careRequests)
        return (summary.partners, summary.patients, summary.careRequests)
    }

    /// Moves a care request, as a dispatcher would, from the command line.
    package static func setStatus(
        _ app: Application, careRequest: UUID, to status: String, actor: String,
        reason: String?, eta: DateInterval?
    ) async throws -> String {
        guard let next = CareRequestStatus(rawValue: status) else {
            throw ConfigurationError(
                "Unknown status \(status). Use one of: \(CareRequestStatus.allCases.map(\.rawValue).joined(separator: ", "))."
            )
        }
        do {
            let record = try await store(app).changeStatus(
                CareRequestID(careRequest), to: next, actor: actor, reason: reason, eta: eta)
            return "\(CareRequestID(try record.model.requireID()).wire) is now \(record.model.status)"
        } catch let error as StationError {
            throw ConfigurationError(error.problem.detail)
        }
    }
}
