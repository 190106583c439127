import Foundation
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Station

@Suite("Searching a partner's care requests")
struct CareRequestSearchTests {
    func search(
        _ station: StationHarness, _ body: [String: Any], partner: String = Fixtures.sunrise, token: String? = nil
    )
        async throws -> TestingHTTPResponse
    {
        var bearer = token
        if bearer == nil { bearer = try await station.token(["station.care_requests.read"]) }
        return try await station.send(
            .POST, "/v1/partners/\(partner)/care-requests/search", token: bearer, json: StationHarness.json(body))
    }

    func ids(_ response: TestingHTTPResponse) -> [String] {
        (response.object["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    /// A second Sunrise patient, "Mary Ann Ó'Neil", with one request made by `user`.
    func maryAnn(_ station: StationHarness, user: String) async throws -> String {
        let patient = try await station.call(
            .POST, "/v1/partners/\(Fixtures.sunrise)/patients",
            json: #"{"given_name":"Mary Ann","family_name":"Ó'Neil","date_of_birth":"1940-01-02","sex":"female"}"#)
        let id = try #require(patient.object["id"] as? String)
        var body = try #require(
            try JSONSerialization.jsonObject(with: Data(Fixtures.careRequest(patient: id).utf8)) as? [String: Any])
        body["created_by_user_id"] = user
        let created = try await station.call(
            .POST, "/v1/care-requests", json: StationHarness.json(body),
            headers: [("Idempotency-Key", UUID().uuidString)])
        return try #require(created.object["id"] as? String)
    }

    @Test("created by a user, statuses, market and creation range each narrow the list")
    func filters() async throws {
        let clock = TestClock()
        try await StationHarness.with(now: { clock.now }) { station in
            let first = try await station.bookedRequest(in: nil, createdBy: "user-search")
            clock.advance(3600)
            let second = try await station.bookedRequest(
                in: try await station.freeWindow(of: DemoData.denver), createdBy: "user-search")
            _ = try await station.move(second, #"{"to":"accepted"}"#)
            let mine = try await search(station, ["created_by_user_id": "user-search"])
            #expect(mine.status == .ok, "\(mine.text)")
            #expect(ids(mine) == [second, first])
            let accepted = try await search(station, ["created_by_user_id": "user-search", "statuses": ["accepted"]])
            #expect(ids(accepted) == [second])
            let either = try await search(
                station, ["created_by_user_id": "user-search", "statuses": ["accepted", "pending_triage"]])
            #expect(ids(either) == [second, first])
            let past = try await search(station, ["created_by_user_id": "user-search", "phase": "past"])
            #expect(ids(past).isEmpty)
            let denver = try await search(
                station, ["created_by_user_id": "user-search", "market_id": DemoData.denver.wire])
            #expect(ids(denver) == [second, first])
            let phoenix = try await search(
                station, ["created_by_user_id": "user-search", "market_id": DemoData.phoenix.wire])
            #expect(ids(phoenix).isEmpty)

            let made = Fixtures.isoDate(clock.now.addingTimeInterval(-1800))
            let from = try await search(station, ["created_by_user_id": "user-search", "created_from": made])
            #expect(ids(from) == [second])
            let before = try await search(station, ["created_by_user_id": "user-search", "created_before": made])
            #expect(ids(before) == [first])
            let sunrise = try await search(station, ["limit": 100])
            #expect(ids(sunrise).count == 18)
        }
    }

    @Test("every word of a patient's name must begin the given or family name, case and accents ignored")
    func patientName() async throws {
        try await StationHarness.with { station in
            let eleanor = try await station.bookedRequest(in: nil, createdBy: "user-name")
            let mary = try await maryAnn(station, user: "user-name")
            func named(_ name: String) async throws -> [String] {
                ids(try await search(station, ["created_by_user_id": "user-name", "patient_name": name]))
            }
            #expect(try await named("whit") == [eleanor])
            #expect(try await named("WHITFIELD eleanor") == [eleanor])
            #expect(try await named("Ëlëanor") == [eleanor])
            #expect(try await named("oneil") == [mary])
            #expect(try await named("mary o'n") == [mary])
            #expect(try await named("Mary Ann") == [mary])
            #expect(try await named("eleanor oneil").isEmpty)
            #expect(try await named("field").isEmpty)
            // Every Sunrise request of Eleanor's, with no other filter.
            let all = ids(try await search(station, ["patient_name": "whitfield", "limit": 100]))
            #expect(all.contains(eleanor))
            #expect(!all.contains(mary))
        }
    }

    @Test("keyset pages visit every match once, newest first, with the filters kept")
    func pages() async throws {
        try await StationHarness.with { station in
            var made: [String] = []
            for _ in 0..<5 { made.append(try await station.bookedRequest(in: nil, createdBy: "user-pages")) }
            var seen: [String] = []
            var cursor: String?
            repeat {
                var body: [String: Any] = ["created_by_user_id": "user-pages", "limit": 2]
                if let cursor { body["cursor"] = cursor }
                let page = try await search(station, body)
                #expect(page.status == .ok)
                #expect(ids(page).count <= 2)
                seen += ids(page)
                cursor = page.object["next_cursor"] as? String
            } while cursor != nil
            #expect(seen == made.reversed())
            let foreign = try await search(
                station, ["cursor": PageCursor(kind: .patients, keys: ["a", "b"], id: UUID()).encoded])
            #expect(foreign.status == .badRequest)
            let long = try await search(station, ["cursor": String(repeating: "a", count: 501)])
            #expect(long.status == .badRequest)
            #expect(long.problemFields == ["cursor"])
        }
    }

    @Test("another partner's list is unknown, a bad filter is named, and the read scope is needed")
    func refusals() async throws {
        try await StationHarness.with { station in
            let mercy = try await station.token(["station.care_requests.read"], partner: DemoData.mercy)
            let foreign = try await search(station, [:], token: mercy)
            #expect(foreign.status == .notFound)
            let own = try await search(station, [:], partner: Fixtures.mercy, token: mercy)
            #expect(own.status == .ok)
            #expect(
                (own.object["items"] as? [[String: Any]])?.allSatisfy { $0["partner_id"] as? String == Fixtures.mercy }
                    == true)
            let range = try await search(
                station, ["created_from": "2026-01-02T00:00:00Z", "created_before": "2026-01-01T00:00:00Z"])
            #expect(range.status == .unprocessableEntity)
            #expect(range.problemFields == ["created_before"])
            let unscoped = try await search(
                station, [:], token: try await station.token(["station.patients.read"]))
            #expect(unscoped.status == .forbidden)
        }
    }
}
