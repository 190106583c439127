import Express
import Fluent
import Foundation
import Policy
import Station
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import OSS
@testable import Platform

/// OSS in-process, with real Station, Policy and Express servers on loopback ports, all trusting one test
/// issuer for machine tokens: for what only shows across services (OSSTests run OSS alone, on fakes). Browser
/// sessions are written directly, as sign-in would leave them.
struct OSSServicesHarness {
    let app: Application
    let station: Application
    let express: Application
    let issuer: TestIssuer
    let clock: TestClock
    let expressPort: Int
    let config: OSSConfig
    let downstream: Downstream
    static let webhookSecret = "whsec_" + Data("oss-test-webhook-secret-0123456789".utf8).base64EncodedString()
    static let expressOrigin = "http://localhost:8080"
    static let sunrise = DemoPartners.sunriseID.uuidString.lowercased()

    static func with(expressUp: Bool = true, _ body: (OSSServicesHarness) async throws -> Void) async throws {
        let issuer = TestIssuer(issuer: "http://test-idp/staff", kid: "machine")
        let clock = TestClock()
        let station = try await Application.make(.testing)
        let policy = try await Application.make(.testing)
        let express = try await Application.make(.testing)
        let app = try await Application.make(.testing)
        let stationDB = try await TestDatabase.make(on: station)
        let expressDB = try await TestDatabase.make(on: express)
        let ossDB = try await TestDatabase.make(on: app)
        func cleanup() async {
            for server in [station, policy, express] { await server.server.shutdown() }
            for db in [stationDB, expressDB, ossDB] { await db.drop() }
            for application in [station, policy, express, app] { try? await application.asyncShutdown() }
        }
        do {
            try StationApp.configure(
                station, config: StationConfig(database: stationDB.location, trustedIssuers: [issuer.issuer]),
                keySource: issuer.keySource)
            try await StationApp.prepare(station, seedDemo: true)
            let stationPort = try await startOnAnyPort(station)
            try PolicyApp.configure(
                policy, config: PolicyConfig(trustedIssuers: [issuer.issuer]), keySource: issuer.keySource)
            let policyPort = try await startOnAnyPort(policy)

            var expressConfig = ExpressConfig(
                database: expressDB.location, dataDirectory: NSTemporaryDirectory(), clientSecret: "x",
                machineClientSecret: "y", webhookSecret: webhookSecret)
            expressConfig.machineIssuer = issuer.issuer
            let stationTokens = ClosureTokenSource {
                try await issuer.token(
                    audience: "station", scopes: ["station.patients.read", "station.care_requests.read"])
            }
            try ExpressApp.configure(
                express, config: expressConfig,
                dependencies: ExpressDependencies(
                    station: try HTTPStationGateway(
                        stationURL: "http://127.0.0.1:\(stationPort)", tokens: stationTokens),
                    handoffs: try HTTPHandoffGateway(ossURL: "http://127.0.0.1:9", tokens: stationTokens),
                    accounts: try HTTPAccountProvisioner(identityURL: "http://127.0.0.1:9", tokens: stationTokens),
                    tracker: Tracker(app: .express, sink: RecordingAnalyticsSink()),
                    internalKeys: issuer.keySource, partnerKeys: issuer.keySource,
                    relyingParty: RelyingParty(
                        .init(issuer: "http://127.0.0.1:9/x", clientID: "x", clientSecret: "x", redirectURI: "http://x")
                    )))
            try await ExpressApp.prepare(express, seedDemo: true)
            // Express takes its port now; in the "Express down" test it lets go of it until the test brings it back.
            let expressPort = try await startOnAnyPort(express)
            if !expressUp { await express.server.shutdown() }

            var config = OSSConfig(
                database: ossDB.location, partnerClientSecret: "x", directClientSecret: "x", machineClientSecret: "x",
                webhookSecret: webhookSecret)
            config.identityURL = "http://test-idp"
            config.allowedReturnOrigins = [expressOrigin]
            config.runOutboxWorker = false
            let clients = try downstream(
                issuer: issuer, stationPort: stationPort, policyPort: policyPort, expressPort: expressPort)
            try OSSApp.configure(
                app, config: config, downstream: clients,
                machineKeys: issuer.keySource,
                partnerRelyingParty: RelyingParty(
                    .init(
                        issuer: "http://127.0.0.1:9/express", clientID: "x", clientSecret: "x", redirectURI: "http://x")
                ),
                directRelyingParty: RelyingParty(
                    .init(
                        issuer: "http://127.0.0.1:9/patients", clientID: "x", clientSecret: "x", redirectURI: "http://x"
                    )),
                now: { clock.now })
            try await OSSApp.prepare(app)
            try await body(
                OSSServicesHarness(
                    app: app, station: station, express: express, issuer: issuer, clock: clock,
                    expressPort: expressPort,
                    config: config, downstream: clients))
        } catch {
            await cleanup()
            throw error
        }
        await cleanup()
    }

    static func downstream(issuer: TestIssuer, stationPort: Int, policyPort: Int, expressPort: Int) throws -> Downstream
    {
        try Downstream.live(
            stationURL: "http://127.0.0.1:\(stationPort)", policyURL: "http://127.0.0.1:\(policyPort)",
            expressURL: "http://127.0.0.1:\(expressPort)", webhookSecret: webhookSecret
        ) { audience, scopes in
            ClosureTokenSource { try await issuer.token(audience: audience, scopes: scopes, subject: "oss-m2m") }
        }
    }

    /// A second OSS instance on the same database, as after a restart.
    func restarted() async throws -> Application {
        let second = try await Application.make(.testing)
        let clock = self.clock
        try OSSApp.configure(
            second, config: config, downstream: downstream, machineKeys: issuer.keySource,
            partnerRelyingParty: RelyingParty(
                .init(issuer: "http://127.0.0.1:9/express", clientID: "x", clientSecret: "x", redirectURI: "http://x")),
            directRelyingParty: RelyingParty(
                .init(issuer: "http://127.0.0.1:9/patients", clientID: "x", clientSecret: "x", redirectURI: "http://x")),
            now: { clock.now })
        try await OSSApp.prepare(second)
        return second
    }

    /// The Express user id of a demo user, which is what OSS sessions and handoffs carry.
    func expressUser(_ email: String) async throws -> String {
        let row = try await express.db.sql.raw("SELECT id FROM users WHERE email = \(bind: email)").first()
        return try #require(row).decode(column: "id", as: UUID.self).uuidString.lowercased()
    }

    /// A browser signed in to the partner app (or the patients' app) as `owner`.
    /// `owner` is an Express user id; the session carries that user's email, as sign-in leaves it, so OSS's
    /// checks with Express about the user find them.
    func browser(partner owner: String, roles: [String] = ["scheduler"], partnerID: String = OSSServicesHarness.sunrise)
        async throws -> TestBrowser
    {
        let row = try await express.db.sql.raw(
            "SELECT email FROM users WHERE id = \(bind: UUID(uuidString: owner) ?? UUID())"
        ).first()
        let email = try row?.decode(column: "email", as: String.self) ?? "unknown@example.com"
        return try await session(
            cookie: "oss_partner_session",
            [
                "owner": owner, "audience": "partner", "partner_id": partnerID,
                "roles": roles.joined(separator: ","), "name": "Sam Scheduler", "email": email,
            ])
    }

    func browser(patient subject: String) async throws -> TestBrowser {
        try await session(
            cookie: "oss_session",
            ["owner": subject, "audience": "direct", "name": "Pat Patient", "email": "patient@example.com"])
    }

    private func session(cookie: String, _ data: [String: String]) async throws -> TestBrowser {
        try await .signedIn(to: app, cookie: cookie, session: data, at: clock.now)
    }

    /// Pushes a handoff as Express does; returns the handle.
    func pushHandoff(
        user: String, patient: String? = nil, partner: String = OSSServicesHarness.sunrise,
        returnURL: String = "http://localhost:8080/care-requests/returned",
        synthetic: Bool? = nil, intent: String? = nil, careRequest: String? = nil
    ) async throws -> (TestingHTTPResponse, String?) {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = .init(
            token: try await issuer.token(audience: "oss", scopes: ["oss.handoffs.create"]))
        headers.contentType = .json
        var body: [String: Any] = ["partner_id": partner, "user_id": user, "return_url": returnURL]
        if let patient { body["patient_id"] = patient }
        if let synthetic { body["synthetic"] = synthetic }
        if let intent { body["intent"] = intent }
        if let careRequest { body["care_request_id"] = careRequest }
        let response = try await app.testing().sendRequest(
            .POST, "/v1/handoffs", headers: headers,
            body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
        return (response, response.object["handoff"] as? String)
    }

    /// A Sunrise patient's id, found the way Express would.
    func patient(_ query: String, partner: UUID = DemoPartners.sunriseID) async throws -> String {
        let token = try await issuer.token(audience: "station", scopes: ["station.patients.read"])
        var headers = HTTPHeaders()
        headers.bearerAuthorization = .init(token: token)
        let response = try await station.testing().sendRequest(
            .GET, "/v1/partners/\(partner.uuidString.lowercased())/patients?q=\(query)",
            headers: headers)
        return try #require((response.object["items"] as? [[String: Any]])?.first?["id"] as? String)
    }

    /// The draft path a redeemed handle leads to.
    func redeem(_ browser: TestBrowser, _ handle: String) async throws -> String {
        let response = try await browser.post("/partner/start", ["handoff": handle])
        #expect(response.status == .seeOther, "\(response.text.prefix(300))")
        return try #require(response.headers.first(name: .location))
    }

    /// Walks a partner draft from the patient step to review with typical answers.
    func fill(_ browser: TestBrowser, draft: String, symptoms: [String] = ["symptom_cough"], windowIndex: Int = 0)
        async throws
    {
        let base = draft.replacingOccurrences(of: "/patient", with: "")
        _ = try await browser.post(
            base + "/patient",
            [
                "given_name": "Nora", "family_name": "Newcomer", "date_of_birth": "1950-02-03",
                "sex": "female", "phone": "303-555-0177",
            ])
        var reason = ["chief_complaint": "Cough for three days"]
        for symptom in symptoms { reason[symptom] = "on" }
        _ = try await browser.post(base + "/reason", reason)
        _ = try await browser.post(
            base + "/location", ["line1": "1600 Larimer St", "city": "Denver", "state": "CO", "zip": "80202"])
        if let value = windowValues(try await browser.get(base + "/window").text).dropFirst(windowIndex).first {
            _ = try await browser.post(base + "/window", ["window": value])
        }
        _ = try await browser.post(
            base + "/details", ["callback_name": "Front desk", "callback_phone": "303-555-0100"])
    }

    /// The time windows a window step offers, as the form posts them.
    func windowValues(_ page: String) -> [String] {
        formInputs(page).filter { $0.0 == "window" }.map(\.1)
    }
}
