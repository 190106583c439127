import Foundation
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

/// Operations administration as the tests drive it: an ops user's token and small request bodies.
extension StationHarness {
    /// A staff user's token of the staff tenant (an operations admin by default), reaching `markets`.
    func adminToken(scopes: [String] = ["station.admin"], markets: [String]? = ["*"], partner: String? = nil)
        async throws -> String
    {
        try await issuer.sign(
            AccessTokenClaims(
                iss: "http://localhost:8083/staff", sub: "ops-1", aud: ["station"], exp: Date().addingTimeInterval(300),
                iat: Date(), jti: UUID().uuidString, scope: scopes.joined(separator: " "), clientID: "console-web",
                partnerID: partner, userID: "ops-1", tenant: "staff", markets: markets))
    }

    /// Sends one administration request as the operations admin.
    func admin(_ method: HTTPMethod, _ path: String, json: String? = nil) async throws -> TestingHTTPResponse {
        try await send(method, path, token: try await adminToken(), json: json)
    }

    /// Creates a market (Boulder, ZIP 80301 unless told) and returns its id.
    func boulder(zip: String = "80301", capacity: Int = 2) async throws -> String {
        let response = try await admin(
            .POST, "/v1/admin/markets", json: AdminFixtures.market(zips: [zip], capacity: capacity))
        #expect(response.status == .created, "\(response.text)")
        return try #require(response.object["id"] as? String)
    }

    /// Creates the partner Alpine, limited to `markets`, and one patient of it; returns both ids.
    func alpine(markets: [String]) async throws -> (partner: String, patient: String) {
        let created = try await admin(.POST, "/v1/admin/partners", json: AdminFixtures.partner(markets: markets))
        #expect(created.status == .created, "\(created.text)")
        let partner = try #require(created.object["id"] as? String)
        let patient = try await call(
            .POST, "/v1/partners/\(partner)/patients",
            json: #"{"given_name":"Ada","family_name":"Alpine","date_of_birth":"1940-01-01","sex":"female"}"#)
        #expect(patient.status == .created, "\(patient.text)")
        return (partner, try #require(patient.object["id"] as? String))
    }

    /// Books `window` for the patient of `partner`; returns the response.
    func book(_ patient: String, of partner: String, zip: String, window: (Date, Date)?) async throws
        -> TestingHTTPResponse
    {
        try await call(
            .POST, "/v1/care-requests",
            json: Fixtures.careRequest(patient: patient, partner: partner, window: window, zip: zip),
            headers: [("Idempotency-Key", UUID().uuidString)])
    }

    /// The first window of `market` on the Denver-local day `plus` days ahead, from the availability endpoint.
    func firstWindow(of market: String, plus days: Int) async throws -> (Date, Date)? {
        let day = try Fixtures.denverDay(plus: days)
        let response = try await call(.GET, "/v1/markets/\(market)/availability?from=\(day)&to=\(day)")
        let f = ISO8601DateFormatter()
        guard let first = response.array.first, let start = (first["start"] as? String).flatMap(f.date(from:)),
            let end = (first["end"] as? String).flatMap(f.date(from:))
        else { return nil }
        return (start, end)
    }
}

enum AdminFixtures {
    static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func market(
        name: String = "Boulder", zips: [String] = ["80301"], opens: String = "08:00", closes: String = "20:00",
        window: Int = 120, capacity: Int = 2, timeZone: String = "America/Denver", state: String = "CO"
    ) -> String {
        json([
            "name": name, "state": state, "time_zone": timeZone, "zip_codes": zips, "opens_at": opens,
            "closes_at": closes, "window_minutes": window, "capacity_per_window": capacity,
        ])
    }

    static func partner(name: String = "Alpine Assisted Living", slug: String = "alpine", markets: [String]) -> String {
        json(["name": name, "slug": slug, "market_ids": markets])
    }

    /// The `field` of every entry of a problem's `errors`.
    static func fields(_ response: TestingHTTPResponse) -> Set<String> {
        Set((response.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
    }
}
