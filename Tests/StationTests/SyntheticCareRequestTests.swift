import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

@Suite("Synthetic monitoring's care requests")
struct SyntheticCareRequestTests {
    static func synthetic(_ body: String) throws -> String {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        object["synthetic"] = true
        return String(
            decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func remaining(_ station: StationHarness, _ window: (Date, Date)) async throws -> Int? {
        let response = try await station.call(
            .GET,
            "/v1/markets/\(Fixtures.denver)/availability?from=\(try Fixtures.denverDay())&to=\(try Fixtures.denverDay(plus: 3))"
        )
        let start = ISO8601DateFormatter().string(from: window.0)
        return response.array.first { $0["start"] as? String == start }?["remaining"] as? Int
    }

    @Test("only a machine token naming no partner may mark a request synthetic; a partner's or a user's token gets 403")
    func onlyServices() async throws {
        try await StationHarness.with { station in
            let patient = try await CreateCareRequestTests.eleanor(station)
            let body = try Self.synthetic(Fixtures.careRequest(patient: patient))
            let partnerMachine = try await station.token(partner: DemoData.sunrise)
            let partnerUser = try await station.token(
                tenant: "express", subject: "user-1", client: "express-web",
                partner: DemoData.sunrise, userID: "user-1")
            for token in [partnerMachine, partnerUser] {
                let refused = try await station.send(
                    .POST, "/v1/care-requests", token: token, json: body,
                    headers: [("Idempotency-Key", UUID().uuidString)])
                #expect(refused.status == .forbidden, "\(refused.text)")
                #expect(refused.isProblem)
            }
            let list = try await station.call(.GET, "/v1/partners/\(Fixtures.sunrise)/care-requests?limit=100")
            #expect(!list.text.contains("\"created_by_user_id\":\"user-1\""))
        }
    }

    @Test("a synthetic request holds no window, is archived as it is made, is in no list, and reads by id")
    func hidden() async throws {
        try await StationHarness.with { station in
            let patient = try await CreateCareRequestTests.eleanor(station)
            let window = try await CreateCareRequestTests.window(station)
            let before = try #require(try await Self.remaining(station, window))
            let created = try await station.call(
                .POST, "/v1/care-requests",
                json: try Self.synthetic(Fixtures.careRequest(patient: patient, window: window)),
                headers: [("Idempotency-Key", UUID().uuidString)])
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.object["id"] as? String)
            #expect(created.object["status"] as? String == "archived")
            #expect(try await Self.remaining(station, window) == before)

            let detail = try await station.call(
                .GET, "/v1/partners/\(Fixtures.sunrise)/care-requests/\(id)", partner: DemoData.sunrise)
            #expect(detail.status == .ok)
            #expect(
                (detail.object["status_history"] as? [[String: Any]])?.last?["reason"] as? String
                    == StationStore.syntheticArchiveReason)
            for path in [
                "/v1/partners/\(Fixtures.sunrise)/care-requests?limit=100",
                "/v1/partners/\(Fixtures.sunrise)/care-requests?phase=past&limit=100",
                "/v1/partners/\(Fixtures.sunrise)/care-requests?status=archived&limit=100",
                "/v1/patients/\(patient)/care-requests?limit=100",
            ] {
                let list = try await station.call(.GET, path)
                #expect(list.status == .ok)
                #expect(!list.text.contains(id), "\(path) lists the synthetic request")
            }
        }
    }
}
