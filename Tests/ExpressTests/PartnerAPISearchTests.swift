import Foundation
import Platform
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Express

/// Issue 17 item 13 for the partner API: the patient search is a POST, so no search text is ever in a URL, and
/// its cursors are sealed.
@Suite("Express partner API patient search")
struct PartnerAPISearchTests {
    typealias Harness = ExpressHarness

    struct Answer {
        var status: HTTPStatus
        var json: [String: Any]
        var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
        var names: [String] { items.compactMap { $0["name"] as? String } }
    }

    func token(_ express: Harness, _ email: String, partner: UUID, role: String) async throws -> String {
        let user = try #require(try await express.service.user(email: email))
        return try await express.users.sign(
            AccessTokenClaims(
                iss: express.users.issuer, sub: email, aud: ["express"], exp: Date().addingTimeInterval(300),
                scope: "openid",
                partnerID: partner.uuidString.lowercased(), userID: user.id!.uuidString.lowercased(), roles: [role]))
    }

    func sunrise(_ express: Harness) async throws -> String {
        try await token(express, "scheduler@sunrise.example", partner: DemoPartners.sunriseID, role: "scheduler")
    }

    func mercy(_ express: Harness) async throws -> String {
        try await token(express, "admin@mercy.example", partner: DemoPartners.mercyID, role: "admin")
    }

    func search(_ express: Harness, token: String, _ body: [String: Any]) async throws -> Answer {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = .init(token: token)
        headers.contentType = .json
        let data = try JSONSerialization.data(withJSONObject: body)
        let response = try await express.app.testing().sendRequest(
            .POST, "/api/v1/patients/search", headers: headers,
            body: ByteBuffer(data: data))
        return Answer(
            status: response.status,
            json: (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:])
    }

    @Test("a search by POST finds the demo patient, and is audited with the patients it returned")
    func postFinds() async throws {
        try await Harness.with { express in
            let found = try await search(express, token: try await sunrise(express), ["q": "Whitfield"])
            #expect(found.status == .ok)
            #expect(found.names == ["Eleanor Whitfield"])
            let audit = try #require(try await express.audit("api.patients.search").first)
            #expect(audit.outcome == "success" && audit.partnerID == DemoPartners.sunriseID)
            #expect(audit.patientIDs.contains(try #require(found.items.first?["id"] as? String)))
        }
    }

    @Test("the search text is no longer accepted in a URL")
    func getIsGone() async throws {
        try await Harness.with { express in
            var headers = HTTPHeaders()
            headers.bearerAuthorization = .init(token: try await sunrise(express))
            let response = try await express.app.testing().sendRequest(
                .GET, "/api/v1/patients?q=Whitfield", headers: headers)
            #expect([.notFound, .methodNotAllowed, .badRequest].contains(response.status))
            #expect(!response.text.contains("Whitfield"))
            #expect(try await express.audit("api.patients.search").isEmpty)
            let document = try await express.app.testing().sendRequest(.GET, "/api/v1/openapi.yaml")
            #expect(
                document.text.contains("\n  /patients/search:\n    post:")
                    && !document.text.contains("\n  /patients:\n"))
        }
    }

    @Test("a 101-character search, an empty one and a limit out of range get a problem+json 400")
    func limits() async throws {
        try await Harness.with { express in
            let token = try await sunrise(express)
            #expect(try await search(express, token: token, ["q": String(repeating: "a", count: 100)]).status == .ok)
            for body: [String: Any] in [
                ["q": String(repeating: "a", count: 101)], ["q": ""], ["q": "Whitfield", "limit": 101],
                ["q": "Whitfield", "limit": 0], [:], ["q": "Whitfield", "extra": 1],
            ] {
                let answer = try await search(express, token: token, body)
                #expect(answer.status == .badRequest, "\(body)")
                #expect(answer.json["status"] as? Int == 400, "\(body)")
            }
        }
    }

    @Test("the cursor is sealed: no names inside, it pages on, and a forged or another partner's cursor gets a 400")
    func sealedCursor() async throws {
        try await Harness.with { express in
            let token = try await sunrise(express)
            let first = try await search(express, token: token, ["q": "303555", "limit": 5])
            #expect(first.status == .ok && first.items.count == 5)
            let last = try #require(first.names.last?.split(separator: " ").last).lowercased()
            let cursor = try #require(first.json["next_cursor"] as? String)
            for variant in [
                cursor, cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/"),
            ] {
                let padded = variant + String(repeating: "=", count: (4 - variant.count % 4) % 4)
                let decoded = Data(base64Encoded: padded).map { String(decoding: $0, as: UTF8.self).lowercased() } ?? ""
                #expect(!decoded.contains(last), "the cursor holds \(last)")
            }
            let next = try await search(express, token: token, ["q": "303555", "limit": 5, "cursor": cursor])
            #expect(next.status == .ok && !next.items.isEmpty)
            #expect(Set(next.names).isDisjoint(with: first.names))

            let forged = try await search(
                express, token: token, ["q": "303555", "cursor": String(cursor.dropLast(2)) + "AA"])
            #expect(forged.status == .badRequest && forged.json["status"] as? Int == 400)
            let stationCursor = try await express.station.searchPatients(
                partner: StationDemo.sunrise, query: "303555", cursor: nil,
                limit: 5
            ).nextCursor
            #expect(
                try await search(express, token: token, ["q": "303555", "cursor": try #require(stationCursor)]).status
                    == .badRequest)
            #expect(
                try await search(express, token: try await mercy(express), ["q": "303555", "cursor": cursor]).status
                    == .badRequest)
        }
    }
}
