import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import OpenAPIRuntime
import Testing
import Vocabulary

@testable import Console

/// Station's answers for the dispatch board, as JSON a stub transport returns.
enum BoardFixtures {
    static let denver = MarketID.random()
    static let boulder = MarketID.random()
    static let booked = CareRequestID.random()
    static let unscheduled = CareRequestID.random()
    /// Dec 1, 2026, 8–10 AM in Denver.
    static let window = TriageFixtures.window

    static func iso(_ date: Date) -> String { date.formatted(.iso8601) }
    static func json(_ object: Any) -> String { TriageFixtures.json(object) }

    static func market(_ id: MarketID, _ name: String) -> [String: Any] {
        [
            "id": id.wire, "name": name, "state": "CO", "time_zone": "America/Denver", "zip_codes": ["80202"],
            "opens_at": "08:00", "closes_at": "12:00", "window_minutes": 120, "capacity_per_window": 4,
            "road_factor": 1.3, "average_speed_mph": 25,
        ]
    }

    static func item(_ id: CareRequestID, _ name: String, status: String, next: [String], window: Bool) -> [String: Any]
    {
        var item: [String: Any] = [
            "id": id.wire, "status": status, "partner_name": "Sunrise Homes", "patient_name": name,
            "service_line": ["id": UUID().uuidString.lowercased(), "name": "Acute care"],
            "updated_at": iso(Date()), "allowed_next": next,
        ]
        if window {
            item["window_start"] = iso(Self.window.start)
            item["window_end"] = iso(Self.window.end)
        }
        return item
    }

    /// The Denver board of Dec 1: one window with Eleanor Whitfield requested, a second empty window, and Walter
    /// Brandt accepted without a window.
    static func board(status: String = "requested", next: [String] = ["accepted", "archived"]) -> String {
        json([
            "market": market(denver, "Denver"), "date": "2026-12-01",
            "windows": [
                [
                    "start": iso(window.start), "end": iso(window.end), "capacity": 4, "booked": 1,
                    "requests": [item(booked, "Eleanor Whitfield", status: status, next: next, window: true)],
                ],
                [
                    "start": iso(window.end), "end": iso(window.end.addingTimeInterval(7200)), "capacity": 0,
                    "booked": 0, "requests": [],
                ],
            ],
            "unscheduled": [
                item(unscheduled, "Walter Brandt", status: "accepted", next: ["scheduled", "archived"], window: false)
            ],
        ])
    }

    /// A Station that lists Denver and Boulder and answers Denver's board; counts the board fetches.
    static func station(board answer: String = board()) -> (StubTransport, NIOLockedValueBox<Int>) {
        let station = StubTransport("Station")
        let fetches = NIOLockedValueBox(0)
        station.stub("listMarkets", json: json([market(denver, "Denver"), market(boulder, "Boulder")]))
        station.stub("getDispatchBoard") { request, _ in
            fetches.withLockedValue { $0 += 1 }
            #expect(request.path?.contains("/v1/staff/markets/\(denver.wire)/board?date=") == true)
            var response = HTTPResponse(status: .ok)
            response.headerFields[.contentType] = "application/json"
            return (response, HTTPBody(answer))
        }
        return (station, fetches)
    }

    /// Records the bodies Console sends to `operationID` and answers with `status` and `json`.
    static func record(
        _ station: StubTransport, _ operationID: String, status: HTTPResponse.Status = .ok, json answer: String
    ) -> NIOLockedValueBox<[Data]> {
        let sent = NIOLockedValueBox<[Data]>([])
        station.stub(operationID) { _, body in
            let data = try await Data(collecting: body!, upTo: 1 << 20)
            sent.withLockedValue { $0.append(data) }
            var response = HTTPResponse(status: status)
            response.headerFields[.contentType] = status.code >= 400 ? "application/problem+json" : "application/json"
            return (response, HTTPBody(answer))
        }
        return sent
    }

    /// The JSON objects recorded.
    static func objects(_ sent: NIOLockedValueBox<[Data]>) -> [[String: Any]] {
        sent.withLockedValue { $0 }.compactMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
    }

    /// The care request Station answers after a move.
    static var movedCareRequest: String {
        var request = TriageFixtures.Request(id: booked, name: "Eleanor Whitfield", market: denver)
        request.status = "accepted"
        return json(TriageFixtures.careRequest(request))
    }

    /// The hidden fields every move form carries.
    static func moveForm(_ move: String, expected: String, _ extra: [String: String] = [:]) -> [String: String] {
        ["move": move, "expected": expected, "market": denver.wire, "date": "2026-12-01"].merging(extra) { $1 }
    }
}
