import Foundation
import Platform
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Station

/// Station, built by the same `configure` as production, on a fresh database with the demo data,
/// and a test issuer whose tokens it trusts.
struct StationHarness {
    let app: Application
    let issuer: TestIssuer

    static let allScopes = [
        "station.patients.read", "station.patients.write", "station.care_requests.read",
        "station.care_requests.write", "station.dispatch",
    ]

    /// Issuers of each Identity tenant, all signing with the test key; the harness's own tokens come from the first.
    static let tenantIssuers = ["express", "patients", "staff"].map { "http://localhost:8083/\($0)" }

    static func with(
        now: @escaping @Sendable () -> Date = { Date() },
        adjust: (inout StationConfig) -> Void = { _ in },
        _ body: (StationHarness) async throws -> Void
    ) async throws {
        let issuer = TestIssuer()
        try await TestDatabase.withApplication { app, location in
            let keys = StaticJWKSSource(Dictionary(uniqueKeysWithValues: tenantIssuers.map { ($0, issuer.jwks) }))
            var config = StationConfig(database: location, trustedIssuers: Set(tenantIssuers))
            adjust(&config)
            try StationApp.configure(app, config: config, keySource: keys, now: now)
            try await StationApp.prepare(app, seedDemo: true)
            try await body(StationHarness(app: app, issuer: issuer))
        }
    }

    var store: StationStore { StationApp.store(app) }

    func token(_ scopes: [String] = StationHarness.allScopes, partner: PartnerID? = nil) async throws -> String {
        try await issuer.token(audience: "station", scopes: scopes, partnerID: partner?.rawValue)
    }

    /// A token of `tenant` with exactly these claims: a user's when `client` differs from `subject`, a machine client's when equal.
    func token(
        tenant: String, subject: String, client: String, scopes: [String] = StationHarness.allScopes,
        partner: PartnerID? = nil, userID: String? = nil, markets: [String]? = nil
    ) async throws -> String {
        try await issuer.sign(
            AccessTokenClaims(
                iss: "http://localhost:8083/\(tenant)", sub: subject, aud: ["station"],
                exp: Date().addingTimeInterval(300),
                iat: Date(), jti: UUID().uuidString, scope: scopes.joined(separator: " "), clientID: client,
                partnerID: partner?.rawValue.uuidString.lowercased(), userID: userID, tenant: tenant,
                markets: markets))
    }

    /// Sends one request and returns the response.
    func send(
        _ method: HTTPMethod, _ path: String, token: String?, json: String? = nil,
        headers extra: [(String, String)] = []
    ) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        if json != nil { headers.contentType = .json }
        for (name, value) in extra { headers.add(name: name, value: value) }
        return try await app.testing().sendRequest(
            method, path, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// Sends one request with a token of every scope, optionally scoped to a partner.
    func call(
        _ method: HTTPMethod, _ path: String, json: String? = nil, partner: PartnerID? = nil,
        headers: [(String, String)] = []
    ) async throws -> TestingHTTPResponse {
        try await send(method, path, token: try await token(partner: partner), json: json, headers: headers)
    }
}

enum Fixtures {
    static let sunrise = DemoData.sunrise.rawValue.uuidString.lowercased()
    static let mercy = DemoData.mercy.rawValue.uuidString.lowercased()
    static let acuteCare = DemoData.acuteCare.rawValue.uuidString.lowercased()
    static let denver = DemoData.denver.rawValue.uuidString.lowercased()

    /// A valid care request body for `patient`, with any fields replaced.
    static func careRequest(
        patient: String, partner: String? = sunrise, window: (Date, Date)? = nil,
        outcome: String = "self_schedule", zip: String = "80202", complaint: String = "Fever and cough"
    ) -> String {
        var body: [String: Any] = [
            "patient_id": patient,
            "service_line_id": acuteCare,
            "source": "oss_partner",
            "chief_complaint": complaint,
            "visit_address": ["line1": "1600 Larimer St", "city": "Denver", "state": "CO", "zip": zip],
            "requester": ["name": "Pat Scheduler", "phone": "303-555-0199", "relationship": "Facility staff"],
            "screening": [
                "questionnaire_version": "2024-1", "answers": ["fever": "yes"], "outcome": outcome,
                "reason_codes": outcome == "nurse_triage" ? ["fever_with_confusion"] : [],
            ],
            "created_by_user_id": "user-1",
        ]
        if let partner { body["partner_id"] = partner }
        if let window {
            let f = ISO8601DateFormatter()
            body["time_window"] = ["start": f.string(from: window.0), "end": f.string(from: window.1)]
        }
        let data = try! JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// The Denver market's local day of `date`, `plus` days later, as YYYY-MM-DD.
    static func denverDay(_ date: Date = Date(), plus days: Int = 0) throws -> String {
        let zone = try #require(TimeZone(identifier: "America/Denver"))
        return try #require(LocalDate(date, in: zone)?.adding(days: days)).iso
    }

    static func isoDate(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        return f.string(from: date)
    }
}
