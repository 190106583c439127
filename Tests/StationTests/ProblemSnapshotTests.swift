import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

/// The exact problem+json a caller of Station's API sees for its main errors: a change to any of them is a
/// visible diff in `Resources/Snapshots` (re-record with `SNAPSHOT_RECORD=1`).
@Suite("Station's problem payloads")
struct ProblemSnapshotTests {
    func create(_ station: StationHarness, _ body: String, key: String? = UUID().uuidString) async throws
        -> TestingHTTPResponse
    {
        try await station.call(
            .POST, "/v1/care-requests", json: body, headers: key.map { [("Idempotency-Key", $0)] } ?? [])
    }

    @Test("400: bad input names what is wrong")
    func badInput() async throws {
        try await StationHarness.with { station in
            let search = try await station.call(.GET, "/v1/partners/\(Fixtures.sunrise)/patients?q=%20%20")
            expectSnapshot(search, named: "400-empty-search.json")
            let paging = try await station.call(.GET, "/v1/partners/\(Fixtures.sunrise)/care-requests?limit=0")
            expectSnapshot(paging, named: "400-bad-limit.json")
            let patient = try await CreateCareRequestTests.eleanor(station)
            let noKey = try await create(station, Fixtures.careRequest(patient: patient), key: nil)
            expectSnapshot(noKey, named: "400-missing-idempotency-key.json")
        }
    }

    @Test("401: no token")
    func missingToken() async throws {
        try await StationHarness.with { station in
            let response = try await station.send(.GET, "/v1/partners/\(Fixtures.sunrise)/care-requests", token: nil)
            expectSnapshot(response, named: "401-missing-token.json")
        }
    }

    @Test("403: a token without the endpoint's scope")
    func wrongScope() async throws {
        try await StationHarness.with { station in
            let token = try await station.token(StationHarness.allScopes.filter { $0 != "station.care_requests.read" })
            let response = try await station.send(.GET, "/v1/partners/\(Fixtures.sunrise)/care-requests", token: token)
            expectSnapshot(response, named: "403-wrong-scope.json")
        }
    }

    @Test("404: an unknown care request")
    func notFound() async throws {
        try await StationHarness.with { station in
            let response = try await station.call(.GET, "/v1/partners/\(Fixtures.sunrise)/care-requests/\(UUID())")
            expectSnapshot(response, named: "404-care-request.json")
        }
    }

    /// A Monday morning in Denver before the market opens, far from the demo data's care requests, so the windows
    /// on offer and their room are the same every run.
    static let monday = ISO8601DateFormatter().date(from: "2030-03-04T14:00:00Z")!

    @Test("409: a full window offers the next ones")
    func windowFull() async throws {
        try await StationHarness.with(now: { Self.monday }) { station in
            let patient = try await CreateCareRequestTests.eleanor(station)
            let day = try Fixtures.denverDay(Self.monday)
            let open = try await station.call(.GET, "/v1/markets/\(Fixtures.denver)/availability?from=\(day)&to=\(day)")
                .array
            let first = try #require(open.first)
            let f = ISO8601DateFormatter()
            let window = try (
                #require(f.date(from: first["start"] as? String ?? "")),
                #require(f.date(from: first["end"] as? String ?? ""))
            )
            for _ in 0..<4 {
                #expect(
                    try await create(station, Fixtures.careRequest(patient: patient, window: window)).status == .created
                )
            }
            let full = try await create(station, Fixtures.careRequest(patient: patient, window: window))
            expectSnapshot(full, named: "409-window-full.json")
        }
    }

    @Test("409: a key still in flight is refused")
    func keyInFlight() async throws {
        try await StationHarness.with { station in
            let patient = try await CreateCareRequestTests.eleanor(station)
            let body = Fixtures.careRequest(patient: patient)
            #expect(try await create(station, body, key: "first").status == .created)
            try await IdempotencyRecoveryTests().abandon(station, key: "in-flight", like: "first", age: 5)
            expectSnapshot(try await create(station, body, key: "in-flight"), named: "409-idempotency-in-flight.json")
        }
    }

    @Test("409: a change after the team set out says to call, with the number")
    func changeClosed() async throws {
        try await StationHarness.with { station in
            let id = try await station.bookedRequest(in: nil, createdBy: "user-1")
            _ = try await station.move(id, #"{"to":"requested"}"#)
            for step in StationHarness.walk.prefix(3) { #expect(try await station.move(id, step).status == .ok) }
            expectSnapshot(try await station.cancel(id), named: "409-change-closed.json")
        }
    }

    @Test("422: every refused field at once; a reused idempotency key")
    func refusals() async throws {
        try await StationHarness.with { station in
            let patient = try await CreateCareRequestTests.eleanor(station)
            let fields = try await create(
                station,
                """
                {"patient_id":"\(patient)","service_line_id":"\(Fixtures.acuteCare)","source":"phone","chief_complaint":"",
                 "visit_address":{"line1":"","city":"Denver","state":"Colorado","zip":"8020"},
                 "requester":{"name":"","phone":"x"},
                 "screening":{"questionnaire_version":"2024-1","answers":{},"outcome":"self_schedule","reason_codes":[]}}
                """)
            expectSnapshot(fields, named: "422-fields.json")

            #expect(
                try await create(station, Fixtures.careRequest(patient: patient), key: "draft-1").status == .created)
            let reused = try await create(
                station, Fixtures.careRequest(patient: patient, complaint: "Something else"), key: "draft-1")
            expectSnapshot(reused, named: "422-idempotency-key-reused.json")
        }
    }
}
