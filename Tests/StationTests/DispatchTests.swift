import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

@Suite("Dispatch")
struct DispatchTests {
    func newRequest(_ station: StationHarness, window: (Date, Date)? = nil) async throws -> String {
        let patient = try await CreateCareRequestTests.eleanor(station)
        let response = try await station.call(
            .POST, "/v1/care-requests", json: Fixtures.careRequest(patient: patient, window: window),
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
            let soon = Date().addingTimeInterval(3 * 86_400).timeIntervalSince1970.rounded(.down)
            let etaStart = Fixtures.isoDate(Date(timeIntervalSince1970: soon))
            let eta =
                #"{"start":"\#(etaStart)","end":"\#(Fixtures.isoDate(Date(timeIntervalSince1970: soon + 3600)))"}"#
            for step in [
                #"{"to":"accepted","actor":"d1"}"#, #"{"to":"scheduled","actor":"d1","eta":\#(eta)}"#,
                #"{"to":"on_route","actor":"d1"}"#, #"{"to":"on_scene","actor":"d1"}"#,
                #"{"to":"complete","actor":"d1"}"#,
            ] {
                let response = try await move(station, id, step)
                #expect(response.status == .ok, "\(response.text)")
            }
            let detail = try await station.call(.GET, "/v1/care-requests/\(id)")
            #expect(detail.object["status"] as? String == "complete")
            #expect((detail.object["status_history"] as? [[String: Any]])?.count == 6)
            #expect((detail.object["eta"] as? [String: Any])?["start"] as? String == etaStart)
            let past = try await station.call(
                .GET, "/v1/partners/\(Fixtures.sunrise)/care-requests?phase=past&limit=100")
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
                let day = try Fixtures.denverDay(window.0)
                let response = try await station.call(
                    .GET, "/v1/markets/\(Fixtures.denver)/availability?from=\(day)&to=\(day)")
                return response.array.first { $0["start"] as? String == Fixtures.isoDate(window.0) }?["remaining"]
                    as? Int
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
            let ok = try await station.call(
                .GET,
                "/v1/markets/\(Fixtures.denver)/availability?from=\(try Fixtures.denverDay(plus: 2))&to=\(try Fixtures.denverDay(plus: 3))"
            )
            #expect(ok.array.count == 12)
            #expect(ok.array.allSatisfy { $0["remaining"] as? Int == 4 })
            let today = try Fixtures.denverDay()
            for query in [
                "from=\(today)&to=\(try Fixtures.denverDay(plus: 20))", "from=2026-13-01&to=2026-13-02",
                "from=\(try Fixtures.denverDay(plus: 2))&to=\(today)",
            ] {
                let response = try await station.call(.GET, "/v1/markets/\(Fixtures.denver)/availability?\(query)")
                #expect(response.status == .badRequest, "\(query)")
            }
        }
    }
}
