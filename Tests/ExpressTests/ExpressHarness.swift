import Crypto
@testable import Express
import Fluent
import Foundation
@testable import Platform
import Station
import TestSupport
import Testing
import Vapor
import VaporTesting

/// Records handoffs instead of calling OSS.
final class StubHandoffs: HandoffGateway, @unchecked Sendable {
    let lock = NSLock()
    var pushed: [(partner: UUID, user: UUID, patient: UUID?, returnURL: String, synthetic: Bool)] = []
    var fail = false

    func push(partner: UUID, user: UUID, patient: UUID?, returnURL: String, synthetic: Bool) async throws -> PushedHandoff {
        if fail { throw ServiceUnavailable(service: "Online Self Scheduling", description: "down") }
        lock.withLock { pushed.append((partner, user, patient, returnURL, synthetic)) }
        return PushedHandoff(handle: "handle-\(pushed.count)", startURL: "http://localhost:8081/partner/start?handoff=handle-\(pushed.count)",
                             expiresAt: Date().addingTimeInterval(600))
    }
}

final class StubAccounts: AccountProvisioner, @unchecked Sendable {
    let lock = NSLock()
    var created: [String] = []
    /// Emails that already have a sign-in account at the identity provider.
    var existing: Set<String> = []

    func createAccount(email: String, name: String) async throws -> String {
        if lock.withLock({ existing.contains(email) }) { throw AccountExists() }
        lock.withLock { created.append(email) }
        return "http://localhost:8083/express/set-password?token=one-time"
    }
}

actor RecordingAnalytics: AnalyticsSink {
    var events: [(String, [String: String])] = []
    func track(_ event: String, userID: UUID?, properties: [String: String]) async { events.append((event, properties)) }
}

/// Express in-process, talking real HTTP to a real Station started for the test, with OSS and Identity's
/// management API as recording doubles.
struct ExpressHarness {
    let app: Application
    let station: Application
    let handoffs: StubHandoffs
    let accounts: StubAccounts
    let analytics: RecordingAnalytics
    let machine: TestIssuer
    let users: TestIssuer
    let webhookSecret = "whsec_" + Data("test-webhook-secret-0123456789".utf8).base64EncodedString()

    static func with(stationDown: Bool = false, _ body: (ExpressHarness) async throws -> Void) async throws {
        let stationApp = try await Application.make(.testing)
        let stationDB = try await TestDatabase.make(on: stationApp)
        let app = try await Application.make(.testing)
        let database = try await TestDatabase.make(on: app)
        let stationIssuer = TestIssuer(issuer: "http://test-idp/staff", kid: "station-key")
        let machine = TestIssuer(issuer: "http://localhost:8083/staff", kid: "machine")
        let users = TestIssuer(issuer: "http://localhost:8083/express", kid: "users")
        let handoffs = StubHandoffs(), accounts = StubAccounts(), analytics = RecordingAnalytics()
        func cleanup() async {
            await stationApp.server.shutdown()
            await stationDB.drop()
            await database.drop()
            try? await stationApp.asyncShutdown()
            try? await app.asyncShutdown()
        }
        do {
            try StationApp.configure(stationApp, config: StationConfig(database: stationDB.location, trustedIssuers: [stationIssuer.issuer]),
                                     keySource: stationIssuer.keySource)
            try await StationApp.prepare(stationApp, seedDemo: true)
            let port = try await startOnAnyPort(stationApp)

            var harness = ExpressHarness(app: app, station: stationApp, handoffs: handoffs, accounts: accounts, analytics: analytics,
                                         machine: machine, users: users)
            var config = ExpressConfig(database: database.location, dataDirectory: NSTemporaryDirectory(), clientSecret: "x",
                                       machineClientSecret: "y", webhookSecret: "")
            config.webhookSecret = harness.webhookSecret
            let tokens = ClosureTokenSource {
                try await stationIssuer.token(audience: "station", scopes: ["station.patients.read", "station.care_requests.read"])
            }
            let stationURL = stationDown ? "http://127.0.0.1:9" : "http://127.0.0.1:\(port)"
            let dependencies = ExpressDependencies(
                station: try HTTPStationGateway(stationURL: stationURL, tokens: tokens, timeoutSeconds: 2), handoffs: handoffs,
                accounts: accounts, analytics: analytics, internalKeys: machine.keySource, partnerKeys: users.keySource,
                relyingParty: RelyingParty(.init(issuer: "http://127.0.0.1:9/express", clientID: "express-web", clientSecret: "x",
                                                 redirectURI: "http://localhost:8080/auth/callback")))
            try ExpressApp.configure(app, config: config, dependencies: dependencies)
            try await ExpressApp.prepare(app, seedDemo: true)
            harness = ExpressHarness(app: app, station: stationApp, handoffs: handoffs, accounts: accounts, analytics: analytics,
                                     machine: machine, users: users)
            try await body(harness)
        } catch {
            await cleanup()
            throw error
        }
        await cleanup()
    }

    var service: ExpressService { try! ExpressApp.service(app) }

    /// A browser signed in as `email`: its session is written directly, as sign-in would leave it.
    func browser(_ email: String) async throws -> Browser {
        let user = try #require(try await service.user(email: email))
        let id = WebSession.randomID()
        let row = WebSessionModel()
        row.id = WebSessionMiddleware.hash(id)
        row.data = ["user_id": user.id!.uuidString, "_csrf": "csrf-\(email)"]
        row.createdAt = Date()
        row.lastSeenAt = Date()
        try await row.create(on: app.db)
        return Browser(app: app, cookie: id, csrf: "csrf-\(email)")
    }

    struct Browser {
        let app: Application
        var cookie: String?
        let csrf: String

        func get(_ path: String) async throws -> TestingHTTPResponse {
            var headers = HTTPHeaders()
            if let cookie { headers.cookie = ["express_session": .init(string: cookie)] }
            return try await app.testing().sendRequest(.GET, path, headers: headers)
        }

        func post(_ path: String, _ form: [String: String], csrf: Bool = true) async throws -> TestingHTTPResponse {
            var headers = HTTPHeaders()
            if let cookie { headers.cookie = ["express_session": .init(string: cookie)] }
            headers.contentType = .urlEncodedForm
            var fields = form
            if csrf { fields["csrf"] = self.csrf }
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
            return try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
        }

        /// Searches patients as the page's form does (a POST) and opens the results it is sent to.
        func searchPatients(_ query: String) async throws -> TestingHTTPResponse {
            let posted = try await post("/patients", ["q": query])
            guard posted.status == .seeOther, let location = posted.headers.first(name: .location) else { return posted }
            return try await get(location)
        }
    }

    /// Audit events of an action, newest first.
    func audit(_ action: String) async throws -> [AuditEventModel] {
        try await AuditEventModel.query(on: app.db).filter(\.$action == action).sort(\.$at, .descending).all()
    }

    /// A Sunrise care request id straight from Station.
    func sunriseCareRequest() async throws -> String {
        let page = try await service.station.careRequests(partner: DemoPartners.sunriseID, phase: nil, cursor: nil, limit: 1)
        return try #require(page.items.first?.id)
    }
}

extension TestingHTTPResponse {
    var text: String { String(buffer: body) }
    var location: String? { headers.first(name: .location) }
}
