import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

@Suite("Creating care requests")
struct CreateCareRequestTests {
    static func eleanor(_ station: StationHarness) async throws -> String {
        let response = try await station.call(.GET, "/v1/partners/\(Fixtures.sunrise)/patients?q=whitfield")
        return try #require((response.object["items"] as? [[String: Any]])?.first?["id"] as? String)
    }

    /// The first upcoming Denver window nothing is booked in (the demo data books some), from the availability
    /// endpoint.
    static func window(_ station: StationHarness, skip: Int = 0) async throws -> (Date, Date) {
        let response = try await station.call(
            .GET,
            "/v1/markets/\(Fixtures.denver)/availability?from=\(try Fixtures.denverDay())&to=\(try Fixtures.denverDay(plus: 3))"
        )
        let windows = response.array.filter { window in
            (window["remaining"] as? Int).map { $0 > 0 && $0 == window["capacity"] as? Int } ?? false
        }
        let f = ISO8601DateFormatter()
        let chosen = try #require(windows.dropFirst(skip).first)
        return (f.date(from: chosen["start"] as! String)!, f.date(from: chosen["end"] as! String)!)
    }

    func create(_ station: StationHarness, _ body: String, key: String? = UUID().uuidString) async throws
        -> TestingHTTPResponse
    {
        try await station.call(
            .POST, "/v1/care-requests", json: body, headers: key.map { [("Idempotency-Key", $0)] } ?? [])
    }

    @Test("a self-scheduled request is created as requested, with its window reserved and its history begun")
    func created() async throws {
        try await StationHarness.with { station in
            let patient = try await Self.eleanor(station)
            let window = try await Self.window(station)
            let response = try await create(station, Fixtures.careRequest(patient: patient, window: window))
            #expect(response.status == .created, "\(response.text)")
            #expect(response.object["status"] as? String == "requested")
            #expect((response.object["market"] as? [String: Any])?["name"] as? String == "Denver")
            #expect((response.object["status_history"] as? [[String: Any]])?.count == 1)
            #expect(response.headers.first(name: "Idempotent-Replayed") == nil)

            let list = try await station.call(.GET, "/v1/partners/\(Fixtures.sunrise)/care-requests?limit=1")
            #expect(
                (list.object["items"] as? [[String: Any]])?.first?["id"] as? String == response.object["id"] as? String)
            #expect((list.object["items"] as? [[String: Any]])?.first?["created_by_user_id"] as? String == "user-1")
        }
    }

    @Test("a request that needs a nurse waits in pending_triage without a window")
    func triage() async throws {
        try await StationHarness.with { station in
            let patient = try await Self.eleanor(station)
            let response = try await create(station, Fixtures.careRequest(patient: patient, outcome: "nurse_triage"))
            #expect(response.status == .created)
            #expect(response.object["status"] as? String == "pending_triage")
            #expect(response.object["time_window"] == nil)
        }
    }

    @Test("an emergency is never a care request")
    func emergency() async throws {
        try await StationHarness.with { station in
            let patient = try await Self.eleanor(station)
            let response = try await create(station, Fixtures.careRequest(patient: patient, outcome: "emergency"))
            #expect(response.status == .unprocessableEntity)
            #expect(response.problemFields == ["screening.outcome"])
        }
    }

    @Test("the same key and body return the first response; another body is refused")
    func idempotency() async throws {
        try await StationHarness.with { station in
            let patient = try await Self.eleanor(station)
            let body = Fixtures.careRequest(patient: patient)
            let first = try await create(station, body, key: "draft-1")
            let again = try await create(station, body, key: "draft-1")
            #expect(first.status == .created)
            #expect(again.status == .created)
            #expect(again.object["id"] as? String == first.object["id"] as? String)
            #expect(again.headers.first(name: "Idempotent-Replayed") == "true")

            let other = try await create(
                station, Fixtures.careRequest(patient: patient, complaint: "Something else"), key: "draft-1")
            #expect(other.status == .unprocessableEntity)
            #expect((other.object["type"] as? String)?.hasSuffix("idempotency-key-reused") == true)

            let missing = try await create(station, body, key: nil)
            #expect(missing.status == .badRequest)
        }
    }

    @Test("a refused request binds no key: the caller can correct it and retry")
    func retryAfterRefusal() async throws {
        try await StationHarness.with { station in
            let patient = try await Self.eleanor(station)
            let bad = try await create(station, Fixtures.careRequest(patient: patient, zip: "10001"), key: "draft-2")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.problemFields == ["visit_address.zip"])
            let good = try await create(station, Fixtures.careRequest(patient: patient), key: "draft-2")
            #expect(good.status == .created)
        }
    }

    @Test("every bad field is listed at once")
    func validation() async throws {
        try await StationHarness.with { station in
            let body = """
                {"patient_id":"nope","service_line_id":"\(UUID())","source":"phone","chief_complaint":"",
                 "visit_address":{"line1":"","city":"Denver","state":"Colorado","zip":"8020"},
                 "requester":{"name":"","phone":"x"},
                 "screening":{"questionnaire_version":"2024-1","answers":{},"outcome":"self_schedule","reason_codes":[]}}
                """
            let first = try await create(station, body)
            #expect(first.status == .unprocessableEntity)
            #expect(first.problemFields == ["patient_id"])

            let patient = try await Self.eleanor(station)
            let second = try await create(station, body.replacingOccurrences(of: "\"nope\"", with: "\"\(patient)\""))
            #expect(second.status == .unprocessableEntity)
            #expect(
                Set(second.problemFields) == [
                    "chief_complaint", "visit_address.line1", "visit_address.state",
                    "visit_address.zip", "requester.name", "requester.phone",
                ])
        }
    }

    @Test("a window off the market's grid, or another partner's patient, is refused")
    func references() async throws {
        try await StationHarness.with { station in
            let patient = try await Self.eleanor(station)
            let window = try await Self.window(station)
            let shifted = (window.0.addingTimeInterval(900), window.1.addingTimeInterval(900))
            let offGrid = try await create(station, Fixtures.careRequest(patient: patient, window: shifted))
            #expect(offGrid.problemFields == ["time_window"])

            let mercyPatient = try await create(
                station, Fixtures.careRequest(patient: patient, partner: Fixtures.mercy))
            #expect(mercyPatient.status == .unprocessableEntity)
            #expect(mercyPatient.problemFields == ["patient_id"])

            // Unknown ids, each named; the market and partner checks still run beside them.
            let unknown = try await create(
                station,
                Fixtures.careRequest(patient: UUID().uuidString, zip: "10001").replacingOccurrences(
                    of: Fixtures.acuteCare, with: UUID().uuidString))
            #expect(unknown.status == .unprocessableEntity)
            #expect(Set(unknown.problemFields) == ["patient_id", "service_line_id", "visit_address.zip"])
        }
    }

    @Test("a full window answers 409 with the next windows that have room")
    func fullWindow() async throws {
        try await StationHarness.with { station in
            let patient = try await Self.eleanor(station)
            let window = try await Self.window(station)
            for _ in 0..<4 {
                let ok = try await create(station, Fixtures.careRequest(patient: patient, window: window))
                #expect(ok.status == .created)
            }
            let full = try await create(station, Fixtures.careRequest(patient: patient, window: window))
            #expect(full.status == .conflict)
            let next = try #require(full.object["next_available_windows"] as? [[String: Any]])
            #expect(!next.isEmpty)
            #expect(!next.contains { $0["start"] as? String == Fixtures.isoDate(window.0) })
        }
    }
}
