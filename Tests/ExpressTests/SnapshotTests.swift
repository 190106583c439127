import Foundation
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Express

/// What Express's users see, exactly: the care request list and the partner API's main errors. A change is a
/// visible diff in `Resources/Snapshots` (re-record with `SNAPSHOT_RECORD=1`).
@Suite("Express's pages and problem payloads")
struct SnapshotTests {
    typealias Harness = ExpressHarness

    @Test("the care request list of a Sunrise scheduler")
    func careRequestList() async throws {
        try await Harness.with { express in
            let browser = try await express.browser("scheduler@sunrise.example")
            // The demo's windows are relative to now, like its creation times.
            let window = #"[A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}, \d{1,2}:\d{2} [AP]M–\d{1,2}:\d{2} [AP]M [A-Z]{3,5}"#
            expectSnapshot(
                try await browser.get("/care-requests"), named: "care-requests.html",
                replacing: [(pattern: window, with: "<window>")])
        }
    }

    @Test("the partner API: 401 without a token, 404 for another partner's care request")
    func partnerAPIProblems() async throws {
        try await Harness.with { express in
            func get(_ path: String, token: String?) async throws -> TestingHTTPResponse {
                var headers = HTTPHeaders()
                if let token { headers.bearerAuthorization = .init(token: token) }
                return try await express.app.testing().sendRequest(.GET, path, headers: headers)
            }
            expectSnapshot(try await get("/api/v1/care-requests", token: nil), named: "api-401-missing-token.json")

            let mercyAdmin = try #require(try await express.service.user(email: "admin@mercy.example"))
            let mercy = try await express.users.sign(
                AccessTokenClaims(
                    iss: express.users.issuer, sub: "m", aud: ["express"], exp: Date().addingTimeInterval(300),
                    partnerID: DemoPartners.mercyID.uuidString.lowercased(),
                    userID: mercyAdmin.id!.uuidString.lowercased(), roles: ["admin"]))
            let sunriseRequest = try await express.sunriseCareRequest()
            expectSnapshot(
                try await get("/api/v1/care-requests/\(sunriseRequest)", token: mercy),
                named: "api-404-care-request.json")
        }
    }
}
