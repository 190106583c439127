import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

@Suite("Patients")
struct PatientTests {
    func search(_ station: StationHarness, _ q: String, partner: String = Fixtures.sunrise) async throws -> [[String:
        Any]]
    {
        let encoded = q.percentEncoded
        let response = try await station.call(.GET, "/v1/partners/\(partner)/patients?q=\(encoded)&limit=100")
        #expect(response.status == .ok, "\(response.text)")
        return response.object["items"] as? [[String: Any]] ?? []
    }

    @Test(
        "search finds a patient by any prefix of the name, ignoring case",
        arguments: ["Whitfield", "whit", "ELEANOR", "eleanor whit"])
    func byName(q: String) async throws {
        try await StationHarness.with { station in
            let found = try await search(station, q)
            #expect(
                found.contains {
                    $0["family_name"] as? String == "Whitfield" && $0["given_name"] as? String == "Eleanor"
                })
        }
    }

    @Test("search ignores accents, and finds by date of birth, phone and MRN")
    func otherKeys() async throws {
        try await StationHarness.with { station in
            let created = try await station.call(
                .POST, "/v1/partners/\(Fixtures.sunrise)/patients",
                json: """
                    {"given_name":"Chloé","family_name":"Lefèvre","date_of_birth":"1950-03-09","sex":"female",
                     "phone":"(720) 555-0142","mrn":"SUN-777001"}
                    """)
            #expect(created.status == .created)
            for q in ["lefevre", "CHLOE", "1950-03-09", "03/09/1950", "720 555 01", "sun-7770"] {
                let found = try await search(station, q)
                #expect(found.contains { $0["family_name"] as? String == "Lefèvre" }, "\(q)")
            }
        }
    }

    @Test("search pages follow the name order without repeats")
    func searchPaging() async throws {
        try await StationHarness.with { station in
            var seen: [String] = []
            var cursor: String?
            repeat {
                let response = try await station.call(
                    .GET,
                    "/v1/partners/\(Fixtures.sunrise)/patients?q=3035&limit=7" + (cursor.map { "&cursor=\($0)" } ?? ""))
                let items = try #require(response.object["items"] as? [[String: Any]])
                seen += items.compactMap { $0["id"] as? String }
                cursor = response.object["next_cursor"] as? String
            } while cursor != nil
            #expect(seen.count == 42)
            #expect(Set(seen).count == 42)
        }
    }

    @Test("an empty search is a clear 400")
    func emptySearch() async throws {
        try await StationHarness.with { station in
            let response = try await station.call(.GET, "/v1/partners/\(Fixtures.sunrise)/patients?q=%20%20")
            #expect(response.status == .badRequest)
            let missing = try await station.call(.GET, "/v1/partners/\(Fixtures.sunrise)/patients")
            #expect(missing.status == .badRequest)
        }
    }

    @Test("creating a patient lists every bad field")
    func validation() async throws {
        try await StationHarness.with { station in
            let response = try await station.call(
                .POST, "/v1/partners/\(Fixtures.sunrise)/patients",
                json: """
                    {"given_name":"","family_name":" ","date_of_birth":"1950-02-30","sex":"female","phone":"call me"}
                    """)
            #expect(response.status == .unprocessableEntity)
            #expect(response.problemFields == ["given_name", "family_name", "date_of_birth", "phone"])
        }
    }

    @Test(
        "malformed bodies are 400, with the reason",
        arguments: [
            #"{"given_name":"A","family_name":"B","date_of_birth":"1950-01-01","sex":"female","ssn":"123"}"#,
            #"{"given_name":"A","family_name":"B","date_of_birth":"1950-01-01","sex":"robot"}"#,
            #"{"given_name":5,"family_name":"B","date_of_birth":"1950-01-01","sex":"female"}"#,
            #"{"family_name":"B","date_of_birth":"1950-01-01","sex":"female"}"#,
            #"{"given_name":"A","#,
            "",
        ])
    func malformed(body: String) async throws {
        try await StationHarness.with { station in
            let response = try await station.call(.POST, "/v1/partners/\(Fixtures.sunrise)/patients", json: body)
            #expect(response.status == .badRequest, "\(response.text)")
            #expect(response.isProblem)
            let count = try await search(station, "zzz")
            #expect(count.isEmpty)
        }
    }

    @Test("a body over the limit is refused before it is read")
    func tooLarge() async throws {
        try await StationHarness.with { station in
            let huge =
                #"{"given_name":"\#(String(repeating: "a", count: 70_000))","family_name":"B","date_of_birth":"1950-01-01","sex":"female"}"#
            let response = try await station.call(.POST, "/v1/partners/\(Fixtures.sunrise)/patients", json: huge)
            #expect(response.status == .payloadTooLarge)
        }
    }

    @Test("a direct patient belongs to no partner and is found by id")
    func direct() async throws {
        try await StationHarness.with { station in
            let created = try await station.call(
                .POST, "/v1/patients",
                json: """
                    {"given_name":"Dana","family_name":"Reyes","date_of_birth":"1960-05-05","sex":"other","email":"dana@example.com"}
                    """)
            #expect(created.status == .created)
            #expect(created.object["partner_id"] == nil)
            let id = try #require(created.object["id"] as? String)
            let fetched = try await station.call(.GET, "/v1/patients/\(id)")
            #expect(fetched.object["email"] as? String == "dana@example.com")
        }
    }
}
