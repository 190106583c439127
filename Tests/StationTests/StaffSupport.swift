import Foundation
import Platform
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Station

/// Tokens of the Console's staff, as Identity mints them: a staff-tenant user with its role's scopes and markets.
extension StationHarness {
    static let nurseScopes = StaffRole.stationScopes(for: [.nurse]).sorted()
    static let dispatcherScopes = StaffRole.stationScopes(for: [.dispatcher]).sorted()

    func staffToken(
        _ subject: String, scopes: [String], markets: [String]? = [MarketAccess.everyMarket], tenant: String = "staff",
        partner: PartnerID? = nil, name: String? = nil, email: String? = nil
    ) async throws -> String {
        try await issuer.sign(
            AccessTokenClaims(
                iss: "http://localhost:8083/\(tenant)", sub: subject, aud: ["station"],
                exp: Date().addingTimeInterval(300), iat: Date(), jti: UUID().uuidString,
                scope: scopes.joined(separator: " "), clientID: "console-web", partnerID: partner?.wire,
                userID: subject, tenant: tenant, markets: markets, name: name, email: email))
    }

    /// Nia Nurse, whose token carries her name as Identity's staff tokens do.
    func nurse(markets: [String]? = [MarketAccess.everyMarket]) async throws -> String {
        try await staffToken("nia", scopes: Self.nurseScopes, markets: markets, name: "Nia Nurse")
    }

    func dispatcher(
        _ subject: String = "dee", markets: [String]? = [MarketAccess.everyMarket], name: String? = nil,
        email: String? = nil
    ) async throws -> String {
        try await staffToken(subject, scopes: Self.dispatcherScopes, markets: markets, name: name, email: email)
    }

    /// A new request for Eleanor (Sunrise) in the market serving `zip`: waiting for a nurse, or with `window`.
    func newCareRequest(triage: Bool = false, window: (Date, Date)? = nil, zip: String = "80202") async throws
        -> String
    {
        let patient = try await CreateCareRequestTests.eleanor(self)
        let response = try await call(
            .POST, "/v1/care-requests",
            json: Fixtures.careRequest(
                patient: patient, window: window, outcome: triage ? "nurse_triage" : "self_schedule", zip: zip),
            headers: [("Idempotency-Key", UUID().uuidString)])
        #expect(response.status == .created, "\(response.text)")
        return try #require(response.object["id"] as? String)
    }

    /// Sends a JSON body with `token`.
    func send(_ method: HTTPMethod, _ path: String, token: String, body: [String: Any]) async throws
        -> TestingHTTPResponse
    {
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        return try await send(method, path, token: token, json: String(decoding: data, as: UTF8.self))
    }
}
