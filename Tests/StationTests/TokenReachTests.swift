import Foundation
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Station

/// A token without `partner_id` is "every partner" only for machine clients and staff with a staff scope.
@Suite("Token reach")
struct TokenReachTests {
    static let read = ["station.patients.read", "station.care_requests.read"]

    /// The partner-data reads a token is tried on; each must be refused (403) or all answered.
    static func partnerReads(_ station: StationHarness) async throws -> [String] {
        let patient = try await CreateCareRequestTests.eleanor(station)
        return [
            "/v1/partners/\(Fixtures.sunrise)/care-requests", "/v1/partners/\(Fixtures.sunrise)/patients?q=whitfield",
            "/v1/partners/\(Fixtures.sunrise)/patients/\(patient)", "/v1/partners/\(Fixtures.sunrise)",
            "/v1/patients/\(patient)", "/v1/patients/\(patient)/care-requests",
        ]
    }

    @Test(
        "an express user's token without partner_id, any patients token, and a staff user's without a staff scope are refused",
        arguments: ["express-user", "patients-user", "patients-with-partner", "staff-user-no-staff-scope"])
    func refused(kind: String) async throws {
        try await StationHarness.with { station in
            let token =
                switch kind {
                case "express-user":
                    try await station.token(
                        tenant: "express", subject: UUID().uuidString, client: "express-web",
                        scopes: Self.read, userID: "u-1")
                case "patients-user":
                    try await station.token(
                        tenant: "patients", subject: UUID().uuidString, client: "oss-d2m-web",
                        scopes: Self.read)
                case "patients-with-partner":
                    try await station.token(
                        tenant: "patients", subject: UUID().uuidString, client: "oss-d2m-web",
                        scopes: Self.read, partner: DemoData.sunrise)
                default:
                    try await station.token(
                        tenant: "staff", subject: UUID().uuidString, client: "console", scopes: Self.read)
                }
            for path in try await Self.partnerReads(station) {
                let response = try await station.send(.GET, path, token: token)
                #expect(response.status == .forbidden, "\(kind) \(path) answered \(response.status.code)")
                #expect(response.isProblem)
                #expect(!response.text.contains("Whitfield"))
            }
            // Reference data holds nothing of any partner's.
            #expect(try await station.send(.GET, "/v1/markets", token: token).status == .ok)
        }
    }

    @Test(
        "machine clients, staff with a staff scope and partner users of their own partner are answered",
        arguments: ["machine-staff", "machine-express", "staff-dispatcher", "express-user-with-partner"])
    func answered(kind: String) async throws {
        try await StationHarness.with { station in
            let token =
                switch kind {
                case "machine-staff":
                    try await station.token(tenant: "staff", subject: "oss-m2m", client: "oss-m2m", scopes: Self.read)
                case "machine-express":
                    try await station.token(
                        tenant: "express", subject: "partner-sync", client: "partner-sync", scopes: Self.read)
                case "staff-dispatcher":
                    try await station.token(
                        tenant: "staff", subject: UUID().uuidString, client: "console",
                        scopes: Self.read + ["station.dispatch"])
                default:
                    try await station.token(
                        tenant: "express", subject: UUID().uuidString, client: "express-web", scopes: Self.read,
                        partner: DemoData.sunrise, userID: "u-1")
                }
            for path in try await Self.partnerReads(station) {
                let response = try await station.send(.GET, path, token: token)
                #expect(response.status == .ok, "\(kind) \(path) answered \(response.status.code): \(response.text)")
            }
        }
    }

    @Test("the rule, case by case")
    func rule() {
        func reach(_ tenant: Tenant?, machine: Bool = false, partner: Bool = false, scopes: Set<String> = []) -> Bool {
            TokenReach(tenant: tenant, isMachine: machine, partnerID: partner ? .random() : nil, scopes: scopes)
                .refusal(for: .partnerData) == nil
        }
        #expect(!reach(.express))
        #expect(reach(.express, partner: true))
        #expect(reach(.express, machine: true))
        #expect(!reach(.patients, machine: true))
        #expect(!reach(.patients, partner: true))
        #expect(!reach(.staff))
        #expect(reach(.staff, scopes: ["station.dispatch"]))
        #expect(reach(.staff, scopes: ["station.triage"]))
        #expect(reach(.staff, scopes: ["station.admin"]))
        #expect(!reach(nil, scopes: ["station.dispatch"]))
        #expect(reach(nil, machine: true))
        #expect(
            TokenReach(tenant: .patients, isMachine: false, partnerID: nil, scopes: []).refusal(for: .referenceData)
                == nil)
        #expect(
            TokenReach(
                issuer: "https://id.example/tenants/staff", subject: "cli-m2m", clientID: "cli-m2m", partnerID: nil,
                scopes: []) == TokenReach(tenant: .staff, isMachine: true, partnerID: nil, scopes: []))
        #expect(
            TokenReach(issuer: "http://localhost:8083/express", subject: "a", clientID: nil, partnerID: nil, scopes: [])
                .isMachine == false)
    }
}

/// The dispatcher who moves a request is whoever the token names, whatever the body says.
@Suite("Status change actor")
struct StatusActorTests {
    @Test("the history records the token's user, or a machine client's id, never the body's actor")
    func actorFromToken() async throws {
        try await StationHarness.with { station in
            let patient = try await CreateCareRequestTests.eleanor(station)
            let created = try await station.call(
                .POST, "/v1/care-requests", json: Fixtures.careRequest(patient: patient),
                headers: [("Idempotency-Key", UUID().uuidString)])
            let id = try #require(created.object["id"] as? String)
            let dispatcher = try await station.token(
                tenant: "staff", subject: "acct-7", client: "console",
                scopes: ["station.dispatch", "station.care_requests.read"], userID: "dispatcher-7",
                markets: [MarketAccess.everyMarket])
            let accepted = try await station.send(
                .POST, "/v1/care-requests/\(id)/status-changes", token: dispatcher,
                json: #"{"to":"accepted","actor":"mallory"}"#)
            #expect(accepted.status == .ok, "\(accepted.text)")
            let machine = try await station.token(
                tenant: "staff", subject: "cli-m2m", client: "cli-m2m", scopes: ["station.dispatch"])
            let archived = try await station.send(
                .POST, "/v1/care-requests/\(id)/status-changes", token: machine,
                json: #"{"to":"archived","reason":"Duplicate"}"#)
            #expect(archived.status == .ok, "\(archived.text)")
            let history = try #require(archived.object["status_history"] as? [[String: Any]])
            #expect(history.compactMap { $0["actor"] as? String } == ["user-1", "dispatcher-7", "cli-m2m"])
            #expect(!archived.text.contains("mallory"))
        }
    }
}
