import ExpressDomain
import Fluent
import Foundation
import Station
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Express
@testable import Platform

/// OSS and Identity's management API, for flows that must not reach them: any call fails the test.
final class NoCallsExpected: HandoffGateway, AccountProvisioner, @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [String] = []

    /// The calls made, as the test failures they are.
    var calls: [String] { lock.withLock { pending } }

    private func refuse(_ message: String) -> ServiceUnavailable {
        lock.withLock { pending.append(message) }
        return ServiceUnavailable(service: "test double", description: message)
    }

    func push(_ handoff: HandoffRequest) async throws -> PushedHandoff { throw refuse("OSS was asked for a handoff") }

    func createAccount(email: String, name: String, organization: String, invitedBy: String) async throws
        -> ProvisionedAccount
    {
        throw refuse("Identity was asked to create an account for \(email)")
    }

    func lookUp(email: String) async throws -> IdentityAccount? { throw refuse("Identity was asked about \(email)") }

    func accounts(_ ids: [String]) async throws -> [IdentityAccount] { throw refuse("Identity was asked for accounts") }

    func update(account: String, name: String?, email: String?, active: Bool?) async throws -> IdentityAccount {
        throw refuse("Identity was asked to change an account")
    }

    func reissueInvitation(account: String) async throws -> ProvisionedAccount {
        throw refuse("Identity was asked for an invitation")
    }
}

/// Express in-process, talking real HTTP through its live gateway to a real Station with the demo data; OSS and
/// Identity's management API are not expected to be called.
struct ExpressStationHarness {
    let app: Application
    let station: Application
    let others: NoCallsExpected
    let users: TestIssuer

    static func with(_ body: (ExpressStationHarness) async throws -> Void) async throws {
        let stationIssuer = TestIssuer(issuer: "http://test-idp/staff", kid: "station-key")
        let users = TestIssuer(issuer: "http://localhost:8083/express", kid: "users")
        try await TestDatabase.withApplication { station, stationDatabase in
            try StationApp.configure(
                station, config: StationConfig(database: stationDatabase, trustedIssuers: [stationIssuer.issuer]),
                keySource: stationIssuer.keySource)
            try await StationApp.prepare(station, seedDemo: true)
            let port = try await startOnAnyPort(station)
            do {
                try await withExpress(station: station, port: port, stationIssuer: stationIssuer, users: users, body)
            } catch {
                await station.server.shutdown()
                throw error
            }
            await station.server.shutdown()
        }
    }

    static func withExpress(
        station: Application, port: Int, stationIssuer: TestIssuer, users: TestIssuer,
        _ body: (ExpressStationHarness) async throws -> Void
    ) async throws {
        let machine = TestIssuer(issuer: "http://localhost:8083/staff", kid: "machine")
        let others = NoCallsExpected()
        try await TestDatabase.withApplication { app, location in
            let config = ExpressConfig(
                database: location, dataDirectory: NSTemporaryDirectory(), clientSecret: "x",
                machineClientSecret: "y", webhookSecret: "whsec_" + Data("integration".utf8).base64EncodedString())
            let tokens = ClosureTokenSource {
                try await stationIssuer.token(
                    audience: "station", scopes: ["station.patients.read", "station.care_requests.read"])
            }
            let dependencies = ExpressDependencies(
                station: try HTTPStationGateway(stationURL: "http://127.0.0.1:\(port)", tokens: tokens),
                handoffs: others, accounts: others,
                tracker: Tracker(app: .express, sink: RecordingAnalyticsSink()), internalKeys: machine.keySource,
                partnerKeys: users.keySource,
                relyingParty: RelyingParty(
                    .init(
                        issuer: "http://127.0.0.1:9/express", clientID: "express-web", clientSecret: "x",
                        redirectURI: "http://localhost:8080/auth/callback")))
            try ExpressApp.configure(app, config: config, dependencies: dependencies)
            try await ExpressApp.prepare(app, seedDemo: true)
            try await body(ExpressStationHarness(app: app, station: station, others: others, users: users))
            for call in others.calls { Issue.record(Comment(rawValue: call)) }
        }
    }

    var service: ExpressService { try! ExpressApp.service(app) }

    /// A browser signed in as `email`: its session is written directly, as sign-in would leave it.
    func browser(_ email: String) async throws -> TestBrowser {
        let user = try #require(try await service.user(email: email))
        return try await .signedIn(
            to: app, cookie: "express_session", session: ["user_id": user.id!.uuidString], csrf: "csrf-\(email)")
    }

    /// An access token of the partner users' tenant for `email`, as the partner API is called.
    func token(_ email: String, partner: UUID, role: String) async throws -> String {
        let user = try #require(try await service.user(email: email))
        return try await users.sign(
            AccessTokenClaims(
                iss: users.issuer, sub: email, aud: ["express"], exp: Date().addingTimeInterval(300), scope: "openid",
                partnerID: partner.uuidString.lowercased(), userID: user.id!.uuidString.lowercased(), roles: [role]))
    }

    /// Audit events of an action, newest first.
    func audit(_ action: String) async throws -> [AuditEventModel] {
        try await AuditEventModel.query(on: app.db).filter(\.$action == action).sort(\.$at, .descending).all()
    }

    /// The newest of Sunrise's current care requests, straight from Station.
    func sunriseCareRequest() async throws -> String {
        let page = try await service.station.careRequests(
            partner: PartnerID(DemoPartners.sunriseID), phase: .current, cursor: nil, limit: 1)
        return try #require(page.items.first?.id.wire)
    }
}
