import Foundation
import StationAPI
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

/// A token for one partner reads and writes nothing of another's, by any endpoint.
@Suite("Partner scoping")
struct PartnerScopingTests {
    @Test("a Mercy token reaches nothing of Sunrise's")
    func isolation() async throws {
        try await StationHarness.with { station in
            let list = try await station.call(.GET, "/v1/partners/\(Fixtures.sunrise)/care-requests?limit=1")
            let careRequest = try #require((list.object["items"] as? [[String: Any]])?.first?["id"] as? String)
            let patient = try await CreateCareRequestTests.eleanor(station)
            let mercy = DemoData.mercy

            let attempts: [(HTTPMethod, String, String?)] = [
                (.GET, "/v1/partners/\(Fixtures.sunrise)", nil),
                (.GET, "/v1/partners/\(Fixtures.sunrise)/care-requests", nil),
                (.GET, "/v1/partners/\(Fixtures.sunrise)/care-requests/\(careRequest)", nil),
                (.GET, "/v1/partners/\(Fixtures.mercy)/care-requests/\(careRequest)", nil),
                (.GET, "/v1/care-requests/\(careRequest)", nil),
                (.GET, "/v1/partners/\(Fixtures.sunrise)/patients?q=whitfield", nil),
                (.GET, "/v1/partners/\(Fixtures.sunrise)/patients/\(patient)", nil),
                (.GET, "/v1/partners/\(Fixtures.mercy)/patients/\(patient)", nil),
                (.GET, "/v1/patients/\(patient)", nil),
                (.GET, "/v1/patients/\(patient)/care-requests", nil),
                (
                    .POST, "/v1/partners/\(Fixtures.sunrise)/patients",
                    #"{"given_name":"A","family_name":"B","date_of_birth":"1950-01-01","sex":"female"}"#
                ),
                (.POST, "/v1/care-requests", Fixtures.careRequest(patient: patient)),
                (
                    .POST, "/v1/care-requests/\(careRequest)/status-changes",
                    #"{"to":"archived","actor":"x","reason":"y"}"#
                ),
            ]
            for (method, path, body) in attempts {
                let response = try await station.call(
                    method, path, json: body, partner: mercy,
                    headers: [("Idempotency-Key", UUID().uuidString)])
                #expect(response.status == .notFound, "\(method) \(path) answered \(response.status.code)")
                #expect(!response.text.contains("Whitfield"))
            }
            // Nothing was written by those attempts.
            let after = try await station.call(.GET, "/v1/partners/\(Fixtures.sunrise)/care-requests/\(careRequest)")
            #expect((after.object["status_history"] as? [[String: Any]])?.last?["to"] as? String != "archived")
        }
    }

    @Test("a Mercy token still reads Mercy's own data")
    func ownData() async throws {
        try await StationHarness.with { station in
            let response = try await station.call(
                .GET, "/v1/partners/\(Fixtures.mercy)/patients?q=okafor", partner: DemoData.mercy)
            #expect(response.status == .ok)
            #expect((response.object["items"] as? [[String: Any]])?.first?["given_name"] as? String == "Margaret")
        }
    }
}

@Suite("Authorization")
struct StationAuthorizationTests {
    @Test("health and the OpenAPI document need no token; everything else does")
    func publicRoutes() async throws {
        try await StationHarness.with { station in
            #expect(try await station.send(.GET, "/healthz", token: nil).status == .ok)
            let document = try await station.send(.GET, "/openapi.yaml", token: nil)
            #expect(document.status == .ok)
            #expect(document.text.hasPrefix("openapi: 3.1"))
            let anonymous = try await station.send(.GET, "/v1/partners/\(Fixtures.sunrise)/care-requests", token: nil)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.isProblem)
            #expect(anonymous.headers.first(name: .wwwAuthenticate) == "Bearer")
        }
    }

    @Test(
        "tokens that are not Station's are refused",
        arguments: ["wrong-audience", "expired", "foreign-issuer", "garbage"])
    func refusedTokens(kind: String) async throws {
        try await StationHarness.with { station in
            let token: String =
                switch kind {
                case "wrong-audience":
                    try await station.issuer.token(audience: "express", scopes: StationHarness.allScopes)
                case "expired":
                    try await station.issuer.token(
                        audience: "station", scopes: StationHarness.allScopes, expiresIn: -120)
                case "foreign-issuer":
                    try await station.issuer.token(
                        audience: "station", scopes: StationHarness.allScopes,
                        issuer: "http://evil.example")
                default: "not.a.token"
                }
            let response = try await station.send(.GET, "/v1/markets", token: token)
            #expect(response.status == .unauthorized)
        }
    }

    @Test(
        "each endpoint needs its scope",
        arguments: [
            ("GET", "/v1/partners/\(Fixtures.sunrise)/care-requests", "station.care_requests.read"),
            ("GET", "/v1/partners/\(Fixtures.sunrise)/patients?q=a", "station.patients.read"),
            ("POST", "/v1/care-requests", "station.care_requests.write"),
            ("POST", "/v1/care-requests/\(UUID())/status-changes", "station.dispatch"),
            ("GET", "/v1/events", "station.events.read"),
        ])
    func scopes(method: String, path: String, scope: String) async throws {
        try await StationHarness.with { station in
            let others = StationHarness.allScopes.filter { $0 != scope }
            let response = try await station.send(
                HTTPMethod(rawValue: method), path, token: try await station.token(others),
                json: method == "POST" ? "{}" : nil, headers: [("Idempotency-Key", "k")])
            #expect(response.status == .forbidden, "\(response.text)")
            #expect((response.object["detail"] as? String)?.contains(scope) == true)
        }
    }
}

@Suite("Access rules")
struct AccessRuleTests {
    @Test("every operation in the OpenAPI document has an access rule")
    func everyOperationHasARule() throws {
        let document = String(decoding: try StationAPIDocument.yaml(), as: UTF8.self)
        let operations = Set(
            document.split(separator: "\n").compactMap { line -> String? in
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                return trimmed.hasPrefix("operationId:")
                    ? String(trimmed.dropFirst("operationId:".count)).trimmingCharacters(in: .whitespaces) : nil
            })
        #expect(operations.count == 45)
        #expect(operations == Set(StationAPIHandler.scopes.keys))
    }
}
