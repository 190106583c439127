import Foundation
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Station

@Suite("Nurse triage")
struct TriageTests {
    static let phoenix = DemoData.phoenix.wire

    func outcome(_ station: StationHarness, _ id: String, token: String, _ body: [String: Any]) async throws
        -> TestingHTTPResponse
    {
        try await station.send(.POST, "/v1/staff/care-requests/\(id)/triage-outcome", token: token, body: body)
    }

    func schedule(_ window: (Date, Date)) -> [String: Any] {
        [
            "outcome": "schedule", "note": "Spoke with the daughter; a visit today is right.",
            "window_start": Fixtures.isoDate(window.0), "window_end": Fixtures.isoDate(window.1),
        ]
    }

    @Test("the queue holds every pending_triage request of the nurse's markets, oldest first")
    func queue() async throws {
        try await StationHarness.with { station in
            let denver = try await station.newCareRequest(triage: true)
            let phoenix = try await station.newCareRequest(triage: true, zip: "85003")
            let booked = try await station.newCareRequest()
            let nurse = try await station.nurse(markets: [Fixtures.denver])
            let response = try await station.send(.GET, "/v1/staff/triage-queue", token: nurse)
            #expect(response.status == .ok, "\(response.text)")
            let items = try #require(response.object["items"] as? [[String: Any]])
            let requests = items.compactMap { $0["care_request"] as? [String: Any] }
            let ids = requests.compactMap { $0["id"] as? String }
            #expect(ids.contains(denver))
            #expect(!ids.contains(phoenix) && !ids.contains(booked))
            #expect(requests.allSatisfy { $0["status"] as? String == "pending_triage" })
            #expect(requests.allSatisfy { ($0["market"] as? [String: Any])?["id"] as? String == Fixtures.denver })
            let waiting = items.compactMap { $0["waiting_since"] as? String }.compactMap(ISO8601DateFormatter().date)
            #expect(waiting.count == items.count && waiting == waiting.sorted())
            #expect(ids.last == denver)
            #expect(items.last?["partner_name"] as? String == "Sunrise Senior Living")

            let phoenixOnly = try await station.send(
                .GET, "/v1/staff/triage-queue?market_id=\(Self.phoenix)", token: try await station.nurse())
            let phoenixIDs = (phoenixOnly.object["items"] as? [[String: Any]] ?? []).compactMap {
                ($0["care_request"] as? [String: Any])?["id"] as? String
            }
            #expect(phoenixIDs.contains(phoenix) && !phoenixIDs.contains(denver))
            let outside = try await station.send(
                .GET, "/v1/staff/triage-queue?market_id=\(Self.phoenix)", token: nurse)
            #expect(outside.status == .notFound)
        }
    }

    @Test("schedule reserves the window and makes the request requested; a second outcome is told who was first")
    func scheduleOnce() async throws {
        try await StationHarness.with { station in
            let id = try await station.newCareRequest(triage: true)
            let window = try await CreateCareRequestTests.window(station)
            let nurse = try await station.nurse()
            let remaining = try await Self.remaining(station, window)
            let scheduled = try await outcome(station, id, token: nurse, schedule(window))
            #expect(scheduled.status == .ok, "\(scheduled.text)")
            #expect(scheduled.object["status"] as? String == "requested")
            #expect(
                (scheduled.object["time_window"] as? [String: Any])?["start"] as? String == Fixtures.isoDate(window.0))
            let last = (scheduled.object["status_history"] as? [[String: Any]])?.last
            #expect(last?["actor"] as? String == "Nia Nurse" && last?["from"] as? String == "pending_triage")
            #expect(try await Self.remaining(station, window) == remaining.map { $0 - 1 })

            let again = try await outcome(
                station, id, token: try await station.nurse(), ["outcome": "emergency", "note": "x"])
            #expect(again.status == .conflict)
            #expect(again.object["type"] as? String == "https://selfscheduling.example/problems/status-conflict")
            #expect(again.object["current_status"] as? String == "requested")
            #expect((again.object["detail"] as? String)?.contains("Nia Nurse moved it there") == true, "\(again.text)")
        }
    }

    @Test("emergency and close archive the request with their reason; close needs a reason code, all need a note")
    func closeOutcomes() async throws {
        try await StationHarness.with { station in
            let nurse = try await station.nurse()
            let first = try await station.newCareRequest(triage: true)
            let emergency = try await outcome(
                station, first, token: nurse, ["outcome": "emergency", "note": "Chest pain: called 911."])
            #expect(emergency.status == .ok, "\(emergency.text)")
            #expect(emergency.object["status"] as? String == "archived")
            #expect(
                (emergency.object["status_history"] as? [[String: Any]])?.last?["reason"] as? String
                    == "emergency_care: Chest pain: called 911.")

            let second = try await station.newCareRequest(triage: true)
            let noCode = try await outcome(station, second, token: nurse, ["outcome": "close", "note": "Declined."])
            #expect(noCode.status == .unprocessableEntity && noCode.problemFields == ["reason_code"])
            let noNote = try await outcome(
                station, second, token: nurse, ["outcome": "close", "note": " ", "reason_code": "patient_declined"])
            #expect(noNote.problemFields == ["note"])
            let noWindow = try await outcome(station, second, token: nurse, ["outcome": "schedule", "note": "Visit."])
            #expect(Set(noWindow.problemFields) == ["window_start", "window_end"])
            let closed = try await outcome(
                station, second, token: nurse,
                ["outcome": "close", "note": "Feels better, declined a visit.", "reason_code": "patient_declined"])
            #expect(closed.object["status"] as? String == "archived")
            #expect(
                (closed.object["status_history"] as? [[String: Any]])?.last?["reason"] as? String
                    == "patient_declined: Feels better, declined a visit.")
        }
    }

    @Test("schedule on a full window is refused with the next windows, and the request keeps waiting")
    func fullWindow() async throws {
        try await StationHarness.with { station in
            let id = try await station.newCareRequest(triage: true)
            let window = try await CreateCareRequestTests.window(station)
            let closed = try await station.send(
                .PUT, "/v1/staff/markets/\(Fixtures.denver)/capacity", token: try await station.dispatcher(),
                body: ["window_start": Fixtures.isoDate(window.0), "capacity": 0])
            #expect(closed.status == .ok, "\(closed.text)")
            let refused = try await outcome(station, id, token: try await station.nurse(), schedule(window))
            #expect(refused.status == .conflict, "\(refused.text)")
            #expect((refused.object["next_available_windows"] as? [[String: Any]])?.isEmpty == false)
            let detail = try await station.call(.GET, "/v1/care-requests/\(id)")
            #expect(detail.object["status"] as? String == "pending_triage")
            #expect(detail.object["time_window"] == nil)
        }
    }

    @Test("a request outside the nurse's markets is unknown to her, to read or to decide; no markets claim, no queue")
    func outsideMarkets() async throws {
        try await StationHarness.with { station in
            let id = try await station.newCareRequest(triage: true, zip: "85003")
            let nurse = try await station.nurse(markets: [Fixtures.denver])
            let response = try await outcome(
                station, id, token: nurse, ["outcome": "emergency", "note": "Sent to the ER."])
            #expect(response.status == .notFound)
            #expect(try await station.send(.GET, "/v1/care-requests/\(id)", token: nurse).status == .notFound)
            let everywhere = try await station.nurse()
            #expect(try await station.send(.GET, "/v1/care-requests/\(id)", token: everywhere).status == .ok)
            let none = try await station.nurse(markets: nil)
            let empty = try await station.send(.GET, "/v1/staff/triage-queue", token: none)
            #expect((empty.object["items"] as? [Any])?.isEmpty == true)
        }
    }

    static func remaining(_ station: StationHarness, _ window: (Date, Date)) async throws -> Int? {
        let day = try Fixtures.denverDay(window.0)
        let response = try await station.call(
            .GET, "/v1/markets/\(Fixtures.denver)/availability?from=\(day)&to=\(day)")
        return response.array.first { $0["start"] as? String == Fixtures.isoDate(window.0) }?["remaining"] as? Int
    }
}
