import ExpressDomain
import Fluent
import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Express
@testable import Platform

/// Express in-process on a fresh database, with Station, OSS and Identity's management API as doubles that fail
/// the test on a call it did not stub. No other service runs: a failing test here is Express's.
struct ExpressHarness {
    /// What Station holds for the test.
    enum StationSetup {
        /// The demo partners' care requests, patients and markets (``StationDemo``).
        case demo
        /// Nothing: any question to Station fails the test.
        case none
        /// Station does not answer: the live gateway, pointed at a closed port.
        case unreachable
    }

    let app: Application
    let station: FakeStation
    let handoffs: FakeHandoffs
    let accounts: FakeAccounts
    let backendClients: FakeBackendClients
    /// What Express's tracker sent (``RecordingAnalyticsSink``).
    let analytics: RecordingAnalyticsSink
    let machine: TestIssuer
    let users: TestIssuer
    let webhookSecret = "whsec_" + Data("test-webhook-secret-0123456789".utf8).base64EncodedString()
    let stationEventsSecret = "whsec_" + Data("test-station-events-0123456789".utf8).base64EncodedString()

    /// `relyingParty`: the sign-in provider (by default one at a closed port: tests sign in by writing the session).
    static func with(
        station setup: StationSetup = .demo, relyingParty: RelyingParty? = nil,
        _ body: (ExpressHarness) async throws -> Void
    ) async throws {
        let machine = TestIssuer(issuer: "http://localhost:8083/staff", kid: "machine")
        let users = TestIssuer(issuer: "http://localhost:8083/express", kid: "users")
        let station = setup == .demo ? FakeStation.demo() : FakeStation()
        let handoffs = FakeHandoffs()
        let accounts = FakeAccounts()
        let backendClients = FakeBackendClients()
        // Identity's seed has the demo users' accounts, passwords chosen.
        for user in DemoSeeder.users { accounts.add(email: user.email, name: user.name) }
        for user in DemoSeeder.monitors { accounts.add(email: user.email, name: user.name) }
        let analytics = RecordingAnalyticsSink()
        defer {
            for unexpected in [
                station.unexpected, handoffs.unexpected, accounts.unexpected, backendClients.unexpected,
            ] { unexpected.verify() }
        }
        try await TestDatabase.withApplication { app, location in
            let harness = ExpressHarness(
                app: app, station: station, handoffs: handoffs, accounts: accounts, backendClients: backendClients,
                analytics: analytics, machine: machine, users: users)
            var config = ExpressConfig(
                database: location, dataDirectory: NSTemporaryDirectory(), clientSecret: "x",
                machineClientSecret: "y", webhookSecret: harness.webhookSecret)
            config.stationURL = "http://127.0.0.1:9"
            config.stationEventsSecret = harness.stationEventsSecret
            config.live.recheck = .milliseconds(50)
            let gateway: any StationGateway =
                setup == .unreachable
                ? try HTTPStationGateway(
                    stationURL: config.stationURL, tokens: ClosureTokenSource { "no-token" }, timeoutSeconds: 2)
                : station
            let dependencies = ExpressDependencies(
                station: gateway, handoffs: handoffs, accounts: accounts,
                tracker: Tracker(app: .express, sink: analytics),
                internalKeys: machine.keySource, partnerKeys: users.keySource,
                relyingParty: relyingParty
                    ?? RelyingParty(
                        .init(
                            issuer: "http://127.0.0.1:9/express", clientID: "express-web", clientSecret: "x",
                            redirectURI: "http://localhost:8080/auth/callback")),
                backendClients: backendClients)
            try ExpressApp.configure(app, config: config, dependencies: dependencies)
            try await ExpressApp.prepare(app, seedDemo: true)
            try await body(harness)
        }
    }

    var service: ExpressService { try! ExpressApp.service(app) }

    /// A browser signed in as `email`: its session is written directly, as sign-in would leave it, and its forms
    /// carry the session's CSRF token unless a test leaves it out (`defaults: false`).
    func browser(_ email: String) async throws -> TestBrowser {
        let user = try #require(try await service.user(email: email))
        let id = WebSession.randomID()
        let row = WebSessionModel()
        row.id = WebSessionMiddleware.hash(id)
        row.data = ["user_id": user.id!.uuidString, "_csrf": "csrf-\(email)"]
        row.createdAt = Date()
        row.lastSeenAt = Date()
        try await row.create(on: app.db)
        return TestBrowser(app: app, cookies: ["express_session": id], formDefaults: ["csrf": "csrf-\(email)"])
    }

    /// Audit events of an action, newest first.
    func audit(_ action: String) async throws -> [AuditEventModel] {
        try await AuditEventModel.query(on: app.db).filter(\.$action == action).sort(\.$at, .descending).all()
    }

    /// Station's event as Express reacts to it: what it asks Station first, then
    /// ``ExpressService/react(to:calendar:on:)`` in one transaction, as the receiver of the signed push runs it
    /// (without the receipt, so a repeated push reaches the reaction again).
    func stationPushes(_ event: CareRequestEvent) async throws {
        let service = service
        let calendar = try await service.notificationCalendar(for: event)
        try await service.write { db in try await service.react(to: event, calendar: calendar, on: db) }
    }

    /// The newest of Sunrise's current care requests in the demo Station.
    func sunriseCareRequest() async throws -> String {
        let page = try await station.careRequests(partner: StationDemo.sunrise, phase: .current, cursor: nil, limit: 1)
        return try #require(page.items.first?.id.wire)
    }
}

extension TestBrowser {
    /// Searches patients as the page's form does (a POST) and opens the results it is sent to.
    func searchPatients(_ query: String) async throws -> BrowserResponse {
        let posted = try await post("/patients", ["q": query])
        guard posted.status == .seeOther, let location = posted.location else { return posted }
        return try await get(location)
    }
}
