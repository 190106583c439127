import Foundation
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

@Suite("Dispatch planning in Station: the day's proposal")
struct DayPlanTests {
    static func everyDay(_ start: String, _ end: String) -> [[String: String]] {
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].map {
            ["day": $0, "starts_at": start, "ends_at": end]
        }
    }

    /// A Boulder market whose team "Boulder Day" (base 80301, acute care) works every day 07:00–20:00, and the
    /// partner Alpine there with one patient.
    static func boulderDay(_ station: StationHarness, capacity: Int) async throws
        -> (market: String, team: String, alpine: (partner: String, patient: String))
    {
        let market = try await station.boulder(capacity: capacity)
        let created = try await station.admin(
            .POST, "/v1/admin/markets/\(market)/care-teams",
            json: AdminFixtures.json([
                "name": "Boulder Day", "base_zip": "80301", "service_lines": ["acute_care"],
                "shifts": everyDay("07:00", "20:00"),
            ]))
        #expect(created.status == .created, "\(created.text)")
        let team = try #require(created.object["id"] as? String)
        return (market, team, try await station.alpine(markets: [market]))
    }

    /// Books a visit in Boulder (80301) for Alpine's patient in each of `windows`; the new requests' ids, in order.
    @discardableResult
    static func book(
        _ station: StationHarness, _ alpine: (partner: String, patient: String), in windows: some Sequence<(Date, Date)>
    ) async throws -> [String] {
        var ids: [String] = []
        for window in windows {
            let response = try await station.book(alpine.patient, of: alpine.partner, zip: "80301", window: window)
            #expect(response.status == .created, "\(response.text)")
            ids.append(try #require(response.object["id"] as? String))
        }
        return ids
    }

    /// The windows of `market` on the Denver-local day `plus` days ahead.
    static func windows(_ station: StationHarness, _ market: String, plus days: Int) async throws -> [(Date, Date)] {
        let day = try Fixtures.denverDay(plus: days)
        let response = try await station.call(.GET, "/v1/markets/\(market)/availability?from=\(day)&to=\(day)")
        let f = ISO8601DateFormatter()
        return response.array.compactMap { window in
            guard let start = (window["start"] as? String).flatMap(f.date(from:)),
                let end = (window["end"] as? String).flatMap(f.date(from:))
            else { return nil }
            return (start, end)
        }
    }

    @Test(
        "every booked request of the day is planned once, inside its window, by a team working that day, within its shift"
    )
    func plansTheDay() async throws {
        try await StationHarness.with { station in
            let (market, team, alpine) = try await Self.boulderDay(station, capacity: 3)
            let windows = try await Self.windows(station, market, plus: 2)
            #expect(windows.count >= 3)
            var booked: [String: (Date, Date)] = [:]
            for window in windows.prefix(3) {
                for _ in 0..<2 {
                    let response = try await station.book(
                        alpine.patient, of: alpine.partner, zip: "80301", window: window)
                    #expect(response.status == .created, "\(response.text)")
                    booked[try #require(response.object["id"] as? String)] = window
                }
            }
            let day = try Fixtures.denverDay(plus: 2)
            let dispatcher = try await station.adminToken(scopes: ["station.dispatch"])
            let plan = try await station.send(.GET, "/v1/staff/markets/\(market)/plan?date=\(day)", token: dispatcher)
            #expect(plan.status == .ok, "\(plan.text)")
            #expect(plan.object["date"] as? String == day)
            #expect((plan.object["unplanned"] as? [Any])?.isEmpty == true, "\(plan.text)")
            let routes = plan.object["routes"] as? [[String: Any]] ?? []
            #expect(routes.map { $0["team_id"] as? String } == [team])
            let f = ISO8601DateFormatter()
            let stops = routes.first?["stops"] as? [[String: Any]] ?? []
            #expect(Set(stops.compactMap { $0["care_request_id"] as? String }) == Set(booked.keys))
            #expect(stops.count == booked.count)
            var previous = Date.distantPast
            for stop in stops {
                let id = try #require(stop["care_request_id"] as? String)
                let start = try #require((stop["starts_at"] as? String).flatMap(f.date(from:)))
                let window = try #require(booked[id])
                #expect(start >= window.0 && start <= window.1, "\(id) starts outside its window")
                #expect(start >= previous.addingTimeInterval(3600), "a visit lasts an hour")
                previous = start
            }
            let route = try #require(routes.first)
            let leaves = try #require(f.date(from: route["leaves_at"] as? String ?? ""))
            let returns = try #require(f.date(from: route["returns_at"] as? String ?? ""))
            var denver = Calendar(identifier: .gregorian)
            denver.timeZone = try #require(TimeZone(identifier: "America/Denver"))
            #expect(denver.component(.hour, from: leaves) == 7 && denver.component(.minute, from: leaves) == 0)
            #expect(returns > previous && returns <= leaves.addingTimeInterval(13 * 3600))

            // The same data gives the same plan.
            let again = try await station.send(.GET, "/v1/staff/markets/\(market)/plan?date=\(day)", token: dispatcher)
            let againStops = (again.object["routes"] as? [[String: Any]])?.first?["stops"] as? [[String: Any]] ?? []
            #expect(
                againStops.map { $0["care_request_id"] as? String } == stops.map { $0["care_request_id"] as? String })
            #expect(againStops.map { $0["starts_at"] as? String } == stops.map { $0["starts_at"] as? String })

            // With no team working, every request is listed with the reason.
            #expect(
                try await station.admin(.DELETE, "/v1/admin/markets/\(market)/care-teams/\(team)").status == .noContent)
            let empty = try await station.send(.GET, "/v1/staff/markets/\(market)/plan?date=\(day)", token: dispatcher)
            let unplanned = empty.object["unplanned"] as? [[String: Any]] ?? []
            #expect(Set(unplanned.compactMap { $0["care_request_id"] as? String }) == Set(booked.keys))
            #expect(unplanned.allSatisfy { $0["reason"] as? String == "no_team_working" })
        }
    }

    @Test("a service line's visit length is what the planner counts at its stops; a length out of range is a 422")
    func visitLength() async throws {
        try await StationHarness.with { station in
            let (market, _, alpine) = try await Self.boulderDay(station, capacity: 3)
            let path = "/v1/admin/service-lines/\(DemoData.acuteCare.wire)/visit-length"
            let set = try await station.admin(.PUT, path, json: #"{"visit_minutes":100}"#)
            #expect(set.status == .ok, "\(set.text)")
            #expect(set.object["visit_minutes"] as? Int == 100)
            let lines = try await station.call(.GET, "/v1/service-lines")
            #expect(
                lines.array.first { $0["code"] as? String == "acute_care" }?["visit_minutes"] as? Int == 100)
            for bad in [#"{"visit_minutes":5}"#, #"{"visit_minutes":481}"#] {
                let refused = try await station.admin(.PUT, path, json: bad)
                #expect(refused.status == .unprocessableEntity && refused.problemFields == ["visit_minutes"], "\(bad)")
            }
            let unknown = try await station.admin(
                .PUT, "/v1/admin/service-lines/\(UUID().uuidString)/visit-length", json: #"{"visit_minutes":30}"#)
            #expect(unknown.status == .notFound)
            let dispatcher = try await station.adminToken(scopes: ["station.dispatch"])
            let notAdmin = try await station.send(.PUT, path, token: dispatcher, json: #"{"visit_minutes":30}"#)
            #expect(notAdmin.status == .forbidden)

            // Two requests in one window: the second starts a whole visit after the first.
            let window = try #require(try await Self.windows(station, market, plus: 2).first)
            for _ in 0..<2 {
                let booked = try await station.book(alpine.patient, of: alpine.partner, zip: "80301", window: window)
                #expect(booked.status == .created, "\(booked.text)")
            }
            let day = try Fixtures.denverDay(plus: 2)
            let plan = try await station.send(.GET, "/v1/staff/markets/\(market)/plan?date=\(day)", token: dispatcher)
            let stops = (plan.object["routes"] as? [[String: Any]])?.first?["stops"] as? [[String: Any]] ?? []
            let f = ISO8601DateFormatter()
            let starts = stops.compactMap { ($0["starts_at"] as? String).flatMap(f.date(from:)) }
            #expect(starts.count == 2, "\(plan.text)")
            if starts.count == 2 { #expect(starts[1].timeIntervalSince(starts[0]) >= 100 * 60) }
        }
    }

    @Test("a market's road factor and average speed are the planner's travel times; values out of range are 422s")
    func marketTravel() async throws {
        try await StationHarness.with { station in
            let market = try await station.boulder(zip: "80301", capacity: 3)
            var settings = try #require(
                try JSONSerialization.jsonObject(with: Data(AdminFixtures.market(capacity: 3).utf8)) as? [String: Any])
            settings["zip_codes"] = ["80301", "80303"]
            let widened = try await station.admin(
                .PUT, "/v1/admin/markets/\(market)", json: AdminFixtures.json(settings))
            #expect(widened.status == .ok, "\(widened.text)")
            #expect(
                widened.object["road_factor"] as? Double == 1.3 && widened.object["average_speed_mph"] as? Int == 25)
            let created = try await station.admin(
                .POST, "/v1/admin/markets/\(market)/care-teams",
                json: AdminFixtures.json([
                    "name": "Boulder Day", "base_zip": "80301", "service_lines": ["acute_care"],
                    "shifts": Self.everyDay("07:00", "20:00"),
                ]))
            #expect(created.status == .created, "\(created.text)")
            let alpine = try await station.alpine(markets: [market])
            let window = try #require(try await Self.windows(station, market, plus: 2).first)
            let booked = try await station.book(alpine.patient, of: alpine.partner, zip: "80303", window: window)
            #expect(booked.status == .created, "\(booked.text)")
            let day = try Fixtures.denverDay(plus: 2)
            let dispatcher = try await station.adminToken(scopes: ["station.dispatch"])
            func travel() async throws -> Int {
                let plan = try await station.send(
                    .GET, "/v1/staff/markets/\(market)/plan?date=\(day)", token: dispatcher)
                return try #require((plan.object["routes"] as? [[String: Any]])?.first?["travel_seconds"] as? Int)
            }
            let usual = try await travel()
            #expect(usual > 0)
            settings["road_factor"] = 1.3
            settings["average_speed_mph"] = 50
            let faster = try await station.admin(
                .PUT, "/v1/admin/markets/\(market)", json: AdminFixtures.json(settings))
            #expect(faster.object["average_speed_mph"] as? Int == 50)
            #expect(abs(try await travel() - usual / 2) <= 1, "twice the speed, half the time")
            settings["road_factor"] = 2.6
            _ = try await station.admin(.PUT, "/v1/admin/markets/\(market)", json: AdminFixtures.json(settings))
            #expect(abs(try await travel() - usual) <= 1, "twice the road, the same time again")
            settings["road_factor"] = 0.5
            settings["average_speed_mph"] = 200
            let refused = try await station.admin(
                .PUT, "/v1/admin/markets/\(market)", json: AdminFixtures.json(settings))
            #expect(refused.status == .unprocessableEntity, "\(refused.text)")
            #expect(Set(refused.problemFields) == ["road_factor", "average_speed_mph"])
            // An update that leaves them out keeps them.
            settings["road_factor"] = nil
            settings["average_speed_mph"] = nil
            settings["capacity_per_window"] = 4
            let kept = try await station.admin(
                .PUT, "/v1/admin/markets/\(market)", json: AdminFixtures.json(settings))
            #expect(kept.status == .ok, "\(kept.text)")
            #expect(kept.object["road_factor"] as? Double == 2.6 && kept.object["average_speed_mph"] as? Int == 50)
        }
    }

    @Test(
        "a bad date is 400, an unknown market 404, an operations admin's token is refused (partners' in DispatchBoardTests)"
    )
    func refusals() async throws {
        try await StationHarness.with { station in
            let dispatcher = try await station.adminToken(scopes: ["station.dispatch"])
            let bad = try await station.send(
                .GET, "/v1/staff/markets/\(Fixtures.denver)/plan?date=2026-02-30", token: dispatcher)
            #expect(bad.status == .badRequest)
            let edge = try await station.send(
                .GET, "/v1/staff/markets/\(Fixtures.denver)/plan?date=9999-12-31", token: dispatcher)
            #expect(edge.status == .badRequest, "\(edge.text)")
            let unknown = try await station.send(
                .GET, "/v1/staff/markets/\(UUID().uuidString.lowercased())/plan?date=2026-12-01", token: dispatcher)
            #expect(unknown.status == .notFound)
            let admin = try await station.admin(.GET, "/v1/staff/markets/\(Fixtures.denver)/plan?date=2026-12-01")
            #expect(admin.status == .forbidden)
            let planned = try await station.send(
                .GET, "/v1/staff/markets/\(Fixtures.denver)/plan?date=2026-12-01", token: dispatcher)
            #expect(planned.status == .ok, "\(planned.text)")
        }
    }

    @Test("a shift keeps its clock times on the days daylight saving time starts and ends; 24:00 is the day's end")
    func daylightSaving() throws {
        let zone = try #require(TimeZone(identifier: "America/Denver"))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        for iso in ["2026-03-08", "2026-11-01", "2026-12-02"] {
            let day = try #require(LocalDate(iso: iso))
            let span = try #require(day.interval(in: zone))
            let seven = try #require(StationStore.instant(day, minutes: 7 * 60, in: zone, span: span))
            #expect(
                calendar.component(.hour, from: seven) == 7 && calendar.component(.minute, from: seven) == 0, "\(iso)")
            let late = try #require(StationStore.instant(day, minutes: 17 * 60 + 30, in: zone, span: span))
            #expect(
                calendar.component(.hour, from: late) == 17 && calendar.component(.minute, from: late) == 30, "\(iso)")
            #expect(StationStore.instant(day, minutes: 24 * 60, in: zone, span: span) == span.end)
        }
    }
}
