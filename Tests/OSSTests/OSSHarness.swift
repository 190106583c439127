import Fluent
import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import OSS
@testable import Platform

/// OSS in-process on a fresh database, with fakes for Station, Policy and Express: no other service runs. A test
/// stubs what it expects OSS to ask; anything else OSS asks fails the test. Browser sessions are written directly,
/// as sign-in would leave them.
struct OSSHarness {
    let app: Application
    let station: FakeStation
    let policy: FakePolicy
    let express: FakeExpress
    let issuer: TestIssuer
    let clock: TestClock
    let config: OSSConfig
    let downstream: Downstream
    /// Every analytics message OSS sent.
    let analytics: RecordingAnalyticsSink
    let ossAnalytics: OSSAnalytics
    let directSignIn: RelyingParty
    static let webhookSecret = "whsec_" + Data("oss-test-webhook-secret-0123456789".utf8).base64EncodedString()
    static let expressOrigin = "http://localhost:8080"
    static let sunrise = PartnerID(rawValue: DemoPartners.sunriseID)
    static let mercy = PartnerID(rawValue: DemoPartners.mercyID)

    /// A partner user of Express, as OSS knows them: an id, the email they signed in with, their role.
    struct PartnerUser: Sendable {
        var id: UserID
        var email: String
        var role: PartnerRole
        var owner: String { id.wire }
    }

    static let scheduler = PartnerUser(
        id: UserID(wire: "0e5e0000-0000-4000-8000-000000000001")!, email: "scheduler@sunrise.example",
        role: .scheduler)
    static let admin = PartnerUser(
        id: UserID(wire: "0e5e0000-0000-4000-8000-000000000002")!, email: "admin@sunrise.example", role: .admin)
    static let viewer = PartnerUser(
        id: UserID(wire: "0e5e0000-0000-4000-8000-000000000003")!, email: "viewer@sunrise.example", role: .viewer)

    /// OSS with `experiments` (made over OSS's database) deciding who sees which variant (nobody in any experiment
    /// by default), and patients signing in at `directSignIn` (a provider nobody reaches by default).
    static func with(
        experiments: @escaping @Sendable (ServiceDatabase) -> any ExperimentBook = { _ in ControlOnlyExperiments() },
        directSignIn: RelyingParty? = nil, _ body: (OSSHarness) async throws -> Void
    ) async throws {
        let issuer = TestIssuer(issuer: "http://test-idp/staff", kid: "machine")
        let clock = TestClock()
        let unexpected = UnexpectedCalls()
        defer { unexpected.verify() }
        let station = FakeStation(unexpected)
        let policy = FakePolicy(unexpected)
        let express = FakeExpress(unexpected)
        let downstream = Downstream(station: station, policy: policy, express: express)
        let analytics = RecordingAnalyticsSink()
        let ossAnalytics = OSSAnalytics(tracker: Tracker(app: .oss, sink: analytics), experiments: experiments)
        let directSignIn =
            directSignIn
            ?? RelyingParty(
                .init(
                    issuer: "http://127.0.0.1:9/patients", clientID: "x", clientSecret: "x", redirectURI: "http://x"))
        try await TestDatabase.withApplication { app, location in
            var config = OSSConfig(
                database: location, partnerClientSecret: "x", directClientSecret: "x", machineClientSecret: "x",
                webhookSecret: webhookSecret)
            config.identityURL = "http://test-idp"
            config.allowedReturnOrigins = [expressOrigin]
            config.runOutboxWorker = false
            config.stationEventsSecret = stationEventsSecret
            try configure(
                app, config: config, downstream: downstream, issuer: issuer, clock: clock, analytics: ossAnalytics,
                directSignIn: directSignIn)
            try await OSSApp.prepare(app)
            try await body(
                OSSHarness(
                    app: app, station: station, policy: policy, express: express, issuer: issuer, clock: clock,
                    config: config, downstream: downstream, analytics: analytics, ossAnalytics: ossAnalytics,
                    directSignIn: directSignIn))
        }
    }

    static func configure(
        _ app: Application, config: OSSConfig, downstream: Downstream, issuer: TestIssuer, clock: TestClock,
        analytics: OSSAnalytics, directSignIn: RelyingParty
    ) throws {
        try OSSApp.configure(
            app, config: config, downstream: downstream, machineKeys: issuer.keySource,
            partnerRelyingParty: RelyingParty(
                .init(
                    issuer: "http://127.0.0.1:9/express", clientID: "x", clientSecret: "x",
                    redirectURI: "http://x")),
            directRelyingParty: directSignIn, analytics: analytics, now: { clock.now })
    }

    /// Runs `body` with a second OSS instance on the same database, as after a restart.
    func withRestarted(_ body: (Application) async throws -> Void) async throws {
        let second = try await Application.make(.testing)
        do {
            try Self.configure(
                second, config: config, downstream: downstream, issuer: issuer, clock: clock, analytics: ossAnalytics,
                directSignIn: directSignIn)
            try await body(second)
        } catch {
            try await second.asyncShutdown()
            throw error
        }
        try await second.asyncShutdown()
    }

    /// A browser signed in to the partner app as `user`, whom Express knows as active (unless the test says otherwise).
    func browser(partner user: PartnerUser, partner partnerID: PartnerID = OSSHarness.sunrise) async throws
        -> TestBrowser
    {
        express.stubStanding(user.email, .active(user: user.id, partner: partnerID, roles: [user.role]))
        return try await session(
            cookie: "oss_partner_session",
            [
                "owner": user.owner, "audience": "partner", "partner_id": partnerID.wire,
                "roles": user.role.rawValue, "name": "Sam Scheduler", "email": user.email,
            ])
    }

    /// A browser signed in to the patients' app as the account `subject`.
    func browser(patient subject: String) async throws -> TestBrowser {
        try await session(
            cookie: "oss_session",
            ["owner": subject, "audience": "direct", "name": "Pat Patient", "email": "patient@example.com"])
    }

    /// A browser whose session holds exactly `data` (and a CSRF token), as if sign-in had written it.
    func session(cookie: String, _ data: [String: String]) async throws -> TestBrowser {
        let id = WebSession.randomID()
        let row = WebSessionModel()
        row.id = WebSessionMiddleware.hash(id)
        row.data = data.merging(["_csrf": "csrf-token"]) { a, _ in a }
        row.createdAt = clock.now
        row.lastSeenAt = clock.now
        try await row.create(on: app.db)
        return TestBrowser(app: app, cookies: [cookie: id], formDefaults: ["csrf": "csrf-token"])
    }

    /// Pushes a handoff as Express does; returns the response and the handle.
    func pushHandoff(
        user: PartnerUser = OSSHarness.scheduler, patient: PatientID? = nil, partner: PartnerID = OSSHarness.sunrise,
        returnURL: String = "http://localhost:8080/care-requests/returned",
        synthetic: Bool? = nil, intent: HandoffIntent? = nil, careRequest: CareRequestID? = nil
    ) async throws -> (TestingHTTPResponse, String?) {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = .init(
            token: try await issuer.token(audience: "oss", scopes: ["oss.handoffs.create"]))
        headers.contentType = .json
        var body: [String: Any] = ["partner_id": partner.wire, "user_id": user.owner, "return_url": returnURL]
        if let patient { body["patient_id"] = patient.wire }
        if let synthetic { body["synthetic"] = synthetic }
        if let intent { body["intent"] = intent.rawValue }
        if let careRequest { body["care_request_id"] = careRequest.wire }
        let response = try await app.testing().sendRequest(
            .POST, "/v1/handoffs", headers: headers,
            body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
        return (response, response.object["handoff"] as? String)
    }

    /// The draft path a redeemed handle leads to.
    func redeem(_ browser: TestBrowser, _ handle: String) async throws -> String {
        let response = try await browser.post("/partner/start", ["handoff": handle])
        #expect(response.status == .seeOther, "\(response.text.prefix(300))")
        return try #require(response.location)
    }

    /// A partner draft for the scheduler, redeemed from a fresh handoff: the browser and the draft's patient-step path.
    func newDraft(patient: PatientID? = nil, synthetic: Bool? = nil) async throws -> (TestBrowser, String) {
        let handle = try #require(try await pushHandoff(patient: patient, synthetic: synthetic).1)
        let browser = try await browser(partner: Self.scheduler)
        return (browser, try await redeem(browser, handle))
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
