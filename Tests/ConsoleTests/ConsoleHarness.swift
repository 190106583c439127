import ConsoleDomain
import ExpressInternalAPI
import Fluent
import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import OpenAPIRuntime
import Station
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Console
@testable import Platform

/// Console in-process on a fresh database, calling Station through its live gateway: a REAL Station in-process
/// (the demo data, its own fresh database, on a free port; it trusts ``staffIssuer``) or a stub transport. Policy
/// is a recording double that allows unless told otherwise; Express's internal API is a stub transport whose
/// unstubbed calls fail the test.
struct ConsoleHarness {
    enum StationSetup {
        /// Station itself, in-process, with the demo partners, markets and care requests.
        case real
        /// Every Station call goes to `handler` (by operation id); a call it does not answer fails the test.
        case stub(StubTransport)
    }

    let app: Application
    /// The real Station (nil with a stub).
    let station: Application?
    /// Signs staff access tokens (issuer `http://localhost:8083/staff`) that Station trusts.
    let staffIssuer: TestIssuer
    let policy: RecordingPolicy
    let express: StubTransport
    /// Every analytics message Console sent.
    let analytics: RecordingAnalyticsSink

    static let staffIssuerURL = "http://localhost:8083/staff"

    static func with(
        station setup: StationSetup = .real, express: StubTransport = StubTransport("Express"),
        relyingParty: RelyingParty? = nil, adjust: (inout ConsoleConfig) -> Void = { _ in },
        _ body: (ConsoleHarness) async throws -> Void
    ) async throws {
        let issuer = TestIssuer(issuer: staffIssuerURL, kid: "staff")
        defer { express.unexpected.verify() }
        switch setup {
        case .stub(let transport):
            defer { transport.unexpected.verify() }
            try await withConsole(
                station: nil,
                gateway: StationStaffGateway(serverURL: URL(string: "http://station.test")!, transport: transport),
                issuer: issuer, express: express, relyingParty: relyingParty, adjust: adjust, body)
        case .real:
            try await TestDatabase.withApplication { station, location in
                var config = StationConfig(database: location, trustedIssuers: [staffIssuerURL])
                config.eventSubscribers = []
                try StationApp.configure(station, config: config, keySource: issuer.keySource)
                try await StationApp.prepare(station, seedDemo: true)
                let port = try await startOnAnyPort(station)
                do {
                    try await withConsole(
                        station: station, gateway: try .live(stationURL: "http://127.0.0.1:\(port)"), issuer: issuer,
                        express: express, relyingParty: relyingParty, adjust: adjust, body)
                } catch {
                    await station.server.shutdown()
                    throw error
                }
                await station.server.shutdown()
            }
        }
    }

    private static func withConsole(
        station: Application?, gateway: StationStaffGateway, issuer: TestIssuer, express: StubTransport,
        relyingParty: RelyingParty?, adjust: (inout ConsoleConfig) -> Void,
        _ body: (ConsoleHarness) async throws -> Void
    ) async throws {
        try await TestDatabase.withApplication { app, location in
            var config = ConsoleConfig(
                database: location, dataDirectory: NSTemporaryDirectory(), clientSecret: "x", machineClientSecret: "y")
            config.live.recheck = .milliseconds(50)
            config.followEvents = false
            adjust(&config)
            let policy = RecordingPolicy()
            let analytics = RecordingAnalyticsSink()
            let dependencies = ConsoleDependencies(
                station: gateway,
                stationMachineTokens: ClosureTokenSource {
                    try await issuer.token(audience: "station", scopes: ["station.events.read"], subject: "console-m2m")
                },
                policy: policy,
                express: try .console(
                    expressURL: "http://express.test", tokens: ClosureTokenSource { "console-m2m-token" },
                    transport: express),
                relyingParty: relyingParty
                    ?? RelyingParty(
                        .init(
                            issuer: "http://127.0.0.1:9/staff", clientID: "console-web", clientSecret: "x",
                            redirectURI: "http://127.0.0.1:8085/auth/callback")),
                tracker: Tracker(app: .console, sink: analytics))
            try ConsoleApp.configure(app, config: config, dependencies: dependencies)
            try await ConsoleApp.prepare(app)
            try await body(
                ConsoleHarness(
                    app: app, station: station, staffIssuer: issuer, policy: policy, express: express,
                    analytics: analytics))
        }
    }

    var service: ConsoleService { try! ConsoleApp.service(app) }
    var follower: StationEventFollower { try! ConsoleApp.follower(app) }

    /// The access token sign-in would give `staff` for Station: their roles' scopes and their markets.
    func stationToken(for staff: StaffMember, expiresIn: TimeInterval = 600) async throws -> String {
        try await staffIssuer.sign(
            AccessTokenClaims(
                iss: staffIssuer.issuer, sub: staff.id, aud: ["station"], exp: Date().addingTimeInterval(expiresIn),
                iat: Date(), jti: UUID().uuidString,
                scope: StaffRole.stationScopes(for: staff.roles).sorted().joined(separator: " "),
                clientID: "console-web", roles: staff.roles.map(\.rawValue).sorted(), tenant: "staff",
                markets: staff.markets.claim))
    }

    /// Console's machine token for Station's event feed.
    func machineToken() async throws -> String {
        try await staffIssuer.token(audience: "station", scopes: ["station.events.read"], subject: "console-m2m")
    }

    /// A browser signed in as `staff`: its session written as sign-in leaves it (with a Station token for them),
    /// and its forms carrying the session's CSRF token unless a test leaves it out (`defaults: false`).
    func signIn(as staff: StaffMember, tokenExpiresIn: TimeInterval = 600) async throws -> TestBrowser {
        let token = try await stationToken(for: staff, expiresIn: tokenExpiresIn)
        let session = WebSession(id: nil, values: [:], createdAt: Date())
        session.signIn(
            staff, accessToken: token, expires: Date().addingTimeInterval(tokenExpiresIn), idToken: "id-token")
        session[BackChannelLogout.subjectKey] = staff.id
        return try await .signedIn(
            to: app, cookie: "console_session", session: session.snapshot, csrf: "csrf-\(staff.id)")
    }

    /// Audit events of an action, newest first.
    func audit(_ action: String) async throws -> [AuditEventModel] {
        try await service.audit.events(action)
    }
}

extension StaffMember {
    /// The demo staff, as Identity seeds them (every market).
    static let nurse = StaffMember(
        id: "staff-nurse", email: "nurse@example.com", name: "Nia Nurse", roles: [.nurse], markets: .all)
    static let dispatcher = StaffMember(
        id: "staff-dispatcher", email: "dispatcher@example.com", name: "Dee Dispatcher", roles: [.dispatcher],
        markets: .all)
    static let ops = StaffMember(
        id: "staff-ops", email: "ops@example.com", name: "Opal Ops", roles: [.operationsAdmin], markets: .all)
}

/// Policy for tests: records every question, allows unless a kind of resource was denied.
final class RecordingPolicy: PolicyChecker, Sendable {
    private let state = NIOLockedValueBox(
        (asked: [(StaffMember, PolicyAction, PolicyResource)](), denied: Set<String>()))

    /// Refuses every check about resources of `kind` from now on.
    func deny(kind: String) { state.withLockedValue { _ = $0.denied.insert(kind) } }

    var asked: [(staff: StaffMember, action: PolicyAction, resource: PolicyResource)] {
        state.withLockedValue { $0.asked.map { ($0.0, $0.1, $0.2) } }
    }

    func check(_ actor: StaffMember, _ action: PolicyAction, _ resource: PolicyResource) async throws -> PolicyDecision
    {
        let (count, denied) = state.withLockedValue { state -> (Int, Bool) in
            state.asked.append((actor, action, resource))
            return (state.asked.count, state.denied.contains(resource.kind))
        }
        return PolicyDecision(
            allowed: !denied, id: "dec_test_\(count)", reason: denied ? "denied by the test" : "allowed by the test")
    }
}

/// A generated client's transport for tests: each operation id the test stubs answers from its handler; any other
/// call fails the test (and throws).
final class StubTransport: ClientTransport, Sendable {
    typealias Handler = @Sendable (HTTPRequest, HTTPBody?) async throws -> (HTTPResponse, HTTPBody?)

    let name: String
    let unexpected = UnexpectedCalls()
    private let handlers = NIOLockedValueBox<[String: Handler]>([:])

    init(_ name: String, _ handlers: [String: Handler] = [:]) {
        self.name = name
        self.handlers.withLockedValue { $0 = handlers }
    }

    /// Answers `operationID` with `handler` from now on.
    func stub(_ operationID: String, _ handler: @escaping Handler) {
        handlers.withLockedValue { $0[operationID] = handler }
    }

    /// Answers `operationID` with `status` and the JSON `body`.
    func stub(_ operationID: String, status: HTTPResponse.Status = .ok, json: String) {
        stub(operationID) { _, _ in
            var response = HTTPResponse(status: status)
            response.headerFields[.contentType] =
                status.code >= 400 ? "application/problem+json" : "application/json"
            return (response, HTTPBody(json))
        }
    }

    func send(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String) async throws
        -> (HTTPResponse, HTTPBody?)
    {
        guard let handler = handlers.withLockedValue({ $0[operationID] }) else {
            unexpected.record("\(name).\(operationID)")
            throw StationUnavailable(description: "\(name).\(operationID) is not stubbed")
        }
        return try await handler(request, body)
    }
}
