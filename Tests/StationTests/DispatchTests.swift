import Foundation
@testable import Station
import Testing
import Vapor
import VaporTesting

@Suite("Dispatch")
struct DispatchTests {
    func newRequest(_ station: StationHarness, window: (Date, Date)? = nil) async throws -> String {
        let patient = try await CreateCareRequestTests.eleanor(station)
        let response = try await station.call(.POST, "/v1/care-requests", json: Fixtures.careRequest(patient: patient, window: window),
                                              headers: [("Idempotency-Key", UUID().uuidString)])
        return try #require(response.object["id"] as? String)
    }

    func move(_ station: StationHarness, _ id: String, _ body: String) async throws -> TestingHTTPResponse {
        try await station.call(.POST, "/v1/care-requests/\(id)/status-changes", json: body)
    }

    @Test("a request walks its statuses to complete, each step in the history")
    func walk() async throws {
        try await StationHarness.with { station in
            let id = try await newRequest(station)
            let eta = #"{"start":"2031-01-01T15:00:00Z","end":"2031-01-01T16:00:00Z"}"#
            for step in [#"{"to":"accepted","actor":"d1"}"#, #"{"to":"scheduled","actor":"d1","eta":\#(eta)}"#,
                         #"{"to":"on_route","actor":"d1"}"#, #"{"to":"on_scene","actor":"d1"}"#, #"{"to":"complete","actor":"d1"}"#] {
                let response = try await move(station, id, step)
                #expect(response.status == .ok, "\(response.text)")
            }
            let detail = try await station.call(.GET, "/v1/care-requests/\(id)")
            #expect(detail.object["status"] as? String == "complete")
            #expect((detail.object["status_history"] as? [[String: Any]])?.count == 6)
            #expect((detail.object["eta"] as? [String: Any])?["start"] as? String == "2031-01-01T15:00:00Z")
            let past = try await station.call(.GET, "/v1/partners/\(Fixtures.sunrise)/care-requests?phase=past&limit=100")
            #expect((past.object["items"] as? [[String: Any]])?.contains { $0["id"] as? String == id } == true)
        }
    }

    @Test("invalid moves are 409; archiving needs a reason and scheduling an ETA")
    func refusals() async throws {
        try await StationHarness.with { station in
            let id = try await newRequest(station)
            let skip = try await move(station, id, #"{"to":"complete","actor":"d1"}"#)
            #expect(skip.status == .conflict)
            let noReason = try await move(station, id, #"{"to":"archived","actor":"d1"}"#)
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.problemFields == ["reason"])
            _ = try await move(station, id, #"{"to":"accepted","actor":"d1"}"#)
            let noETA = try await move(station, id, #"{"to":"scheduled","actor":"d1"}"#)
            #expect(noETA.problemFields == ["eta"])
            let history = try await station.call(.GET, "/v1/care-requests/\(id)")
            #expect((history.object["status_history"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test("archiving gives the window's place back")
    func archiveReleasesWindow() async throws {
        try await StationHarness.with { station in
            let window = try await CreateCareRequestTests.window(station)
            let id = try await newRequest(station, window: window)
            func remaining() async throws -> Int? {
                let day = LocalDate(window.0, in: TimeZone(identifier: "America/Denver")!).iso
                let response = try await station.call(.GET, "/v1/markets/\(Fixtures.denver)/availability?from=\(day)&to=\(day)")
                return response.array.first { $0["start"] as? String == Fixtures.isoDate(window.0) }?["remaining"] as? Int
            }
            #expect(try await remaining() == 3)
            let archived = try await move(station, id, #"{"to":"archived","actor":"d1","reason":"Duplicate request"}"#)
            #expect(archived.status == .ok)
            #expect(try await remaining() == 4)
        }
    }
}

@Suite("Reference data")
struct ReferenceTests {
    @Test("markets, service lines, the market of a ZIP code and a partner")
    func reference() async throws {
        try await StationHarness.with { station in
            let markets = try await station.call(.GET, "/v1/markets")
            #expect(markets.array.compactMap { $0["name"] as? String } == ["Denver", "Las Vegas", "Phoenix"])
            let lines = try await station.call(.GET, "/v1/service-lines")
            #expect(lines.array.count == 3)
            let denver = try await station.call(.GET, "/v1/markets/by-zip/80202")
            #expect(denver.object["name"] as? String == "Denver")
            let nowhere = try await station.call(.GET, "/v1/markets/by-zip/10001")
            #expect(nowhere.status == .notFound)
            let bad = try await station.call(.GET, "/v1/markets/by-zip/abc")
            #expect(bad.status == .badRequest)
            let sunrise = try await station.call(.GET, "/v1/partners/\(Fixtures.sunrise)")
            #expect(sunrise.object["slug"] as? String == "sunrise")
        }
    }

    @Test("availability covers at most two weeks, in order, with remaining capacity")
    func availability() async throws {
        try await StationHarness.with { station in
            let today = LocalDate(Date(), in: TimeZone(identifier: "America/Denver")!)
            let ok = try await station.call(.GET, "/v1/markets/\(Fixtures.denver)/availability?from=\(today.adding(days: 1).iso)&to=\(today.adding(days: 2).iso)")
            #expect(ok.array.count == 12)
            #expect(ok.array.allSatisfy { $0["remaining"] as? Int == 4 })
            for query in ["from=\(today.iso)&to=\(today.adding(days: 20).iso)", "from=2026-13-01&to=2026-13-02",
                          "from=\(today.adding(days: 2).iso)&to=\(today.iso)"] {
                let response = try await station.call(.GET, "/v1/markets/\(Fixtures.denver)/availability?\(query)")
                #expect(response.status == .badRequest, "\(query)")
            }
        }
    }
}
