import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station
@testable import StationDomain

/// No input reaches a trap: the date and number edges of every operation answer below 500, and the service
/// still answers afterwards (a trap would end this test process).
@Suite("Edge inputs")
struct EdgeInputTests {
    static let dates = [
        "0001-01-01", "1799-12-31", "1800-01-01", "9999-12-31", "10000-01-01", "", "2024-02-30",
        "+202-01-01", "-001-01-01", "٢٠٢٤-٠١-٠١", "99999999999999999999-01-01",
    ]
    static let instants = [
        "0001-01-01T00:00:00Z", "1799-12-31T23:00:00Z", "9999-12-31T22:00:00Z", "9999-12-31T23:59:59Z",
        "10000-01-01T15:00:00Z", "+010000-01-01T15:00:00Z", "", "garbage", "2026-13-01T00:00:00Z",
    ]
    static let limits = [
        "0", "-1", "101", "-9223372036854775808", "9223372036854775807", "99999999999999999999", "abc", "",
        "1e3", "25.5",
    ]
    static let ids = [
        "not-a-uuid", "00000000-0000-0000-0000-000000000000", UUID().uuidString, String(repeating: "9", count: 300),
    ]
    static let searches = [
        "", " ", "\u{0}", String(repeating: "a", count: 101), "9999-12-31", "12/31/10000", "00/00/0000",
        "10000-01-01", "%", "_", "0001-01-01",
    ]
    static let zips = ["0", "00000", "99999", "1e5", "٠١٢٣٤", String(repeating: "1", count: 300)]

    static func cursors() -> [String] {
        func encode(_ raw: String) -> String {
            Data(raw.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(
                of: "/", with: "_"
            )
            .replacingOccurrences(of: "=", with: "")
        }
        let id = UUID().uuidString
        return [
            "", "a", String(repeating: "A", count: 600), "\u{0}", "\u{FFFE}",
            encode("cr\u{1F}not-a-number\u{1F}\(id)"), encode("cr\u{1F}99999999999999999999\u{1F}\(id)"),
            encode("cr\u{1F}9223372036854775807\u{1F}\(id)"), encode("cr\u{1F}-9223372036854775808\u{1F}\(id)"),
            encode("pt\u{1F}a\u{1F}\(id)"), encode("pt\u{1F}\u{1F}\u{1F}\(id)"), encode("cr\u{1F}1"),
            PageCursor(kind: .patients, keys: ["whitfield", "eleanor"], id: UUID()).encoded,
        ]
    }

    static func q(_ text: String) -> String { text.percentEncoded }

    static func json(_ object: [String: Any]) -> String {
        String(
            decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(),
            as: UTF8.self)
    }

    static func patient(dateOfBirth: String, name: String = "Edge") -> String {
        json(["given_name": name, "family_name": name, "date_of_birth": dateOfBirth, "sex": "female"])
    }

    static func careRequest(_ station: StationHarness, patient: String, start: String, end: String) -> String {
        var body =
            (try? JSONSerialization.jsonObject(with: Data(Fixtures.careRequest(patient: patient).utf8)))
            as? [String: Any] ?? [:]
        body["time_window"] = ["start": start, "end": end]
        return json(body)
    }

    @Test("every operation answers its date and number edges below 500, and the service answers afterwards")
    func everyOperation() async throws {
        try await StationHarness.with { station in
            let patient = try await CreateCareRequestTests.eleanor(station)
            let list = try await station.call(.GET, "/v1/partners/\(Fixtures.sunrise)/care-requests?limit=1")
            let careRequest = try #require((list.object["items"] as? [[String: Any]])?.first?["id"] as? String)
            let s = Fixtures.sunrise
            var requests: [(HTTPMethod, String, String?)] = []

            for id in Self.ids + [careRequest.uppercased()] {
                let e = Self.q(id)
                requests += [
                    (.GET, "/v1/partners/\(e)", nil), (.GET, "/v1/partners/\(s)/care-requests/\(e)", nil),
                    (.GET, "/v1/partners/\(s)/patients/\(e)", nil), (.GET, "/v1/patients/\(e)", nil),
                    (.GET, "/v1/patients/\(e)/care-requests", nil), (.GET, "/v1/care-requests/\(e)", nil),
                    (.GET, "/v1/markets/\(e)/availability?from=2026-01-01&to=2026-01-02", nil),
                    (.POST, "/v1/care-requests/\(e)/status-changes", #"{"to":"accepted"}"#),
                    (.GET, "/v1/partners/\(e)/care-requests", nil), (.GET, "/v1/partners/\(e)/patients?q=a", nil),
                ]
            }
            for limit in Self.limits.map(Self.q) {
                requests += [
                    (.GET, "/v1/partners/\(s)/care-requests?limit=\(limit)", nil),
                    (.GET, "/v1/partners/\(s)/patients?q=a&limit=\(limit)", nil),
                    (.GET, "/v1/patients/\(patient)/care-requests?limit=\(limit)", nil),
                ]
            }
            for cursor in Self.cursors().map(Self.q) {
                requests += [
                    (.GET, "/v1/partners/\(s)/care-requests?cursor=\(cursor)", nil),
                    (.GET, "/v1/partners/\(s)/patients?q=a&cursor=\(cursor)", nil),
                    (.GET, "/v1/patients/\(patient)/care-requests?cursor=\(cursor)", nil),
                ]
            }
            for search in Self.searches.map(Self.q) {
                requests.append((.GET, "/v1/partners/\(s)/patients?q=\(search)", nil))
            }
            requests += [
                (.GET, "/v1/partners/\(s)/care-requests?phase=bogus", nil),
                (.GET, "/v1/partners/\(s)/care-requests?status=", nil),
            ]
            for date in Self.dates {
                requests += [
                    (.POST, "/v1/partners/\(s)/patients", Self.patient(dateOfBirth: date)),
                    (.POST, "/v1/patients", Self.patient(dateOfBirth: date)),
                    (.GET, "/v1/markets/\(Fixtures.denver)/availability?from=\(Self.q(date))&to=\(Self.q(date))", nil),
                    (
                        .GET,
                        "/v1/markets/\(Fixtures.denver)/availability?from=\(try Fixtures.denverDay())&to=\(Self.q(date))",
                        nil
                    ),
                    (
                        .GET,
                        "/v1/markets/\(Fixtures.denver)/availability?from=\(Self.q(date))&to=\(try Fixtures.denverDay())",
                        nil
                    ),
                ]
            }
            requests.append((.POST, "/v1/patients", Self.patient(dateOfBirth: "", name: "")))
            for start in Self.instants {
                for end in ["10000-01-01T17:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T02:00:00Z", start] {
                    requests.append(
                        (
                            .POST, "/v1/care-requests",
                            Self.careRequest(station, patient: patient, start: start, end: end)
                        ))
                }
            }
            requests += [
                (
                    .POST, "/v1/care-requests",
                    Self.json([
                        "patient_id": "", "service_line_id": "", "source": "",
                        "chief_complaint": "", "visit_address": [:], "requester": [:],
                        "screening": [:],
                    ])
                ),
                (.POST, "/v1/care-requests", "{}"), (.POST, "/v1/care-requests", ""),
                (.POST, "/v1/care-requests", "[]"),
            ]
            for zip in Self.zips.map(Self.q) {
                requests.append((.GET, "/v1/markets/by-zip/\(zip)", nil))
            }
            requests += [(.GET, "/v1/markets", nil), (.GET, "/v1/service-lines", nil)]

            // ETAs at the edges, on a request that may be scheduled.
            let created = try await station.call(
                .POST, "/v1/care-requests", json: Fixtures.careRequest(patient: patient),
                headers: [("Idempotency-Key", UUID().uuidString)])
            let movable = try #require(created.object["id"] as? String)
            _ = try await station.call(
                .POST, "/v1/care-requests/\(movable)/status-changes", json: #"{"to":"accepted"}"#)
            for start in Self.instants {
                for end in ["10000-01-01T17:00:00Z", "9999-12-31T23:59:59Z", start] {
                    requests.append(
                        (
                            .POST, "/v1/care-requests/\(movable)/status-changes",
                            Self.json(["to": "scheduled", "eta": ["start": start, "end": end]])
                        ))
                }
            }

            for partner in [nil, DemoData.sunrise] {
                for (method, path, body) in requests {
                    let response = try await station.call(
                        method, path, json: body, partner: partner,
                        headers: [("Idempotency-Key", UUID().uuidString)])
                    #expect(
                        response.status.code < 500,
                        "\(method) \(path) \(body ?? "") answered \(response.status.code): \(response.text)")
                    if response.status.code >= 400 { #expect(response.isProblem, "\(method) \(path)") }
                }
            }
            let after = try await station.call(.GET, "/v1/markets")
            #expect(after.status == .ok)
            #expect(after.array.count == 3)
        }
    }

    @Test("availability past the last published day, as on 9999-12-31, is a 400 naming the field")
    func availabilityHorizon() async throws {
        try await StationHarness.with { station in
            let path = "/v1/markets/\(Fixtures.denver)/availability"
            let end = try await station.call(.GET, "\(path)?from=9999-12-31&to=9999-12-31")
            #expect(end.status == .badRequest)
            #expect(end.isProblem)
            #expect(end.problemFields == ["to"])
            let beyond = try await station.call(.GET, "\(path)?from=10000-01-01&to=10000-01-01")
            #expect(beyond.status == .badRequest)
            #expect(beyond.problemFields == ["from", "to"])
            let past = try await station.call(.GET, "\(path)?from=1800-01-01&to=1800-01-02")
            #expect(past.problemFields == ["from"])
            let last = try await station.call(
                .GET, "\(path)?from=\(try Fixtures.denverDay(plus: 14))&to=\(try Fixtures.denverDay(plus: 14))")
            #expect(last.status == .ok)
            #expect(last.array.count == 6)
            let afterLast = try await station.call(
                .GET, "\(path)?from=\(try Fixtures.denverDay(plus: 15))&to=\(try Fixtures.denverDay(plus: 15))")
            #expect(afterLast.problemFields == ["to"])
        }
    }

    @Test("a window on the market's grid but beyond the published days is refused, naming time_window")
    func windowBeyondHorizon() async throws {
        try await StationHarness.with { station in
            let patient = try await CreateCareRequestTests.eleanor(station)
            let denver = try #require(try await station.store.market(DemoData.denver)).schedule
            for daysAhead in [15, 400, 3 * 365] {
                let day = try #require(LocalDate(Date(), in: denver.timeZone)?.adding(days: daysAhead))
                let window = try #require(denver.windows(on: day).first)
                let response = try await station.call(
                    .POST, "/v1/care-requests",
                    json: Fixtures.careRequest(patient: patient, window: (window.start, window.end)),
                    headers: [("Idempotency-Key", UUID().uuidString)])
                #expect(response.status == .unprocessableEntity, "\(daysAhead) days ahead: \(response.text)")
                #expect(response.problemFields == ["time_window"])
            }
        }
    }
}

@Suite("Local dates")
struct LocalDateTests {
    @Test("arithmetic past either end of the calendar is nil, never a trap")
    func total() throws {
        let last = try #require(LocalDate(iso: "9999-12-31"))
        let first = try #require(LocalDate(iso: "1800-01-01"))
        #expect(last.adding(days: 1) == nil)
        #expect(first.adding(days: -1) == nil)
        #expect(first.adding(days: Int.max) == nil)
        #expect(first.adding(days: Int.min) == nil)
        #expect(first.days(to: last) == 2_994_987)
        #expect(LocalDate(iso: "10000-01-01") == nil)
        #expect(LocalDate(iso: "1799-12-31") == nil)
        #expect(LocalDate(Date(timeIntervalSince1970: 253_402_300_800), in: .gmt) == nil) // 10000-01-01
        #expect(LocalDate(Date.distantFuture, in: .gmt)?.iso == "4001-01-01")
        #expect(LocalDate(Date(timeIntervalSince1970: .greatestFiniteMagnitude), in: .gmt) == nil)
    }

    @Test("day arithmetic agrees with the calendar")
    func arithmetic() throws {
        let leap = try #require(LocalDate(iso: "2024-02-28"))
        #expect(leap.adding(days: 1)?.iso == "2024-02-29")
        #expect(leap.adding(days: 2)?.iso == "2024-03-01")
        #expect(LocalDate(iso: "1900-02-29") == nil)
        #expect(LocalDate(iso: "2000-02-29") != nil)
        #expect(try #require(LocalDate(iso: "1970-01-01")).dayNumber == 0)
        #expect(try #require(LocalDate(iso: "2026-11-30")).adding(days: 32)?.iso == "2027-01-01")
        // On the calendar's last day a market publishes nothing further, and asking for it is no trap.
        let end = try #require(LocalDate(iso: "9999-12-31"))
        let schedule = MarketSchedule(
            timeZone: .gmt, opensAt: 480, closesAt: 1200, windowMinutes: 120, capacityPerWindow: 4)
        #expect(schedule.windows(from: end, to: end, notBefore: Date(timeIntervalSince1970: 253_402_000_000)).isEmpty)
        #expect(
            !schedule.isBookable(
                DateInterval(start: Date(timeIntervalSince1970: 253_402_300_800), duration: 7200),
                now: Date(timeIntervalSince1970: 253_402_000_000)))
    }
}
