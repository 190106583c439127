import Foundation
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Station

/// `POST /v1/patients/care-requests/search`: the requests of the people one patient account schedules for.
@Suite("Searching several patients' care requests")
struct PatientsCareRequestSearchTests {
    func search(_ station: StationHarness, _ body: [String: Any], token: String? = nil) async throws
        -> TestingHTTPResponse
    {
        var bearer = token
        if bearer == nil { bearer = try await station.token(["station.care_requests.read"]) }
        return try await station.send(
            .POST, "/v1/patients/care-requests/search", token: bearer, json: StationHarness.json(body))
    }

    func ids(_ response: TestingHTTPResponse) -> [String] {
        (response.object["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    /// A patient who schedules for themselves (no partner).
    func directPatient(_ station: StationHarness, _ given: String) async throws -> String {
        let created = try await station.call(
            .POST, "/v1/patients",
            json: #"{"given_name":"\#(given)","family_name":"Jones","date_of_birth":"1950-05-05","sex":"other"}"#)
        return try #require(created.object["id"] as? String)
    }

    /// A nurse-triage request (no window) of a direct patient.
    func request(_ station: StationHarness, for patient: String) async throws -> String {
        let created = try await station.call(
            .POST, "/v1/care-requests",
            json: Fixtures.careRequest(patient: patient, partner: nil, outcome: "nurse_triage"),
            headers: [("Idempotency-Key", UUID().uuidString)])
        #expect(created.status == .created, "\(created.text)")
        return try #require(created.object["id"] as? String)
    }

    @Test("every request of the named patients, newest first, a page at a time; nobody else's")
    func pages() async throws {
        let clock = TestClock()
        try await StationHarness.with(now: { clock.now }) { station in
            let walter = try await directPatient(station, "Walter")
            let ann = try await directPatient(station, "Ann")
            let stranger = try await directPatient(station, "Stranger")
            var made: [String] = []
            for patient in [walter, ann, walter, ann, walter] {
                made.append(try await request(station, for: patient))
                _ = try await request(station, for: stranger)
                clock.advance(60)
            }
            let newestFirst = Array(made.reversed())
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                var body: [String: Any] = ["patient_ids": [walter, ann], "limit": 2]
                if let cursor { body["cursor"] = cursor }
                let page = try await search(station, body)
                #expect(page.status == .ok, "\(page.text)")
                seen += ids(page)
                cursor = page.object["next_cursor"] as? String
                pages += 1
            } while cursor != nil && pages < 5
            #expect(seen == newestFirst && pages == 3)
            let items = try #require(
                try await search(station, ["patient_ids": [ann]]).object["items"] as? [[String: Any]])
            #expect(items.compactMap { $0["id"] as? String } == [made[3], made[1]])
            #expect(items.allSatisfy { $0["patient_id"] as? String == ann })
            // Naming a patient twice lists each request once.
            #expect(ids(try await search(station, ["patient_ids": [ann, ann]])) == [made[3], made[1]])
        }
    }

    @Test("1 to 20 patients, each a UUID; an unknown patient or another partner's is not found")
    func refusals() async throws {
        try await StationHarness.with { station in
            let walter = try await directPatient(station, "Walter")
            #expect(try await search(station, ["patient_ids": []]).status == .unprocessableEntity)
            let many = (0..<21).map { _ in UUID().uuidString.lowercased() }
            #expect(try await search(station, ["patient_ids": many]).status == .unprocessableEntity)
            #expect(try await search(station, ["patient_ids": ["nope"]]).status == .badRequest)
            #expect(try await search(station, ["patient_ids": [walter], "cursor": "nonsense"]).status == .badRequest)
            let unknown = try await search(station, ["patient_ids": [walter, UUID().uuidString.lowercased()]])
            #expect(unknown.status == .notFound && ids(unknown).isEmpty)
            // A partner's token reaches neither a patient of no partner nor another partner's.
            let mercy = try await station.token(["station.care_requests.read"], partner: DemoData.mercy)
            #expect(try await search(station, ["patient_ids": [walter]], token: mercy).status == .notFound)
            let eleanor = try await CreateCareRequestTests.eleanor(station)
            #expect(try await search(station, ["patient_ids": [eleanor]], token: mercy).status == .notFound)
            let sunrise = try await station.token(["station.care_requests.read"], partner: DemoData.sunrise)
            #expect(try await search(station, ["patient_ids": [eleanor]], token: sunrise).status == .ok)
            let noScope = try await station.token(["station.patients.read"])
            #expect(try await search(station, ["patient_ids": [walter]], token: noScope).status == .forbidden)
        }
    }
}
