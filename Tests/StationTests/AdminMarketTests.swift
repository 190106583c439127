import Fluent
import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

@Suite("Administration: markets")
struct AdminMarketTests {
    @Test("a new market serves its ZIP codes and its change is recorded with the admin as actor")
    func create() async throws {
        try await StationHarness.with { station in
            let id = try await station.boulder()
            let byZip = try await station.call(.GET, "/v1/markets/by-zip/80301")
            #expect(byZip.object["id"] as? String == id)
            #expect(byZip.object["window_minutes"] as? Int == 120)
            let rows = try await AdminChangeModel.query(on: station.app.db).filter(\.$entityID == id).all()
            #expect(rows.map(\.action) == ["market.created"])
            #expect(rows.first?.actor == "ops-1")
        }
    }

    @Test("changes racing for one ZIP code or service line code: exactly one wins, the others are told it is taken")
    func racingChanges() async throws {
        try await StationHarness.with { station in
            func race(_ requests: [(HTTPMethod, String, String)]) async throws -> [HTTPStatus] {
                try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for (method, path, body) in requests {
                        group.addTask { try await station.admin(method, path, json: body).status }
                    }
                    return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
                }
            }
            let created = try await race(
                (1...6).map {
                    (.POST, "/v1/admin/markets", AdminFixtures.market(name: "Boulder \($0)", zips: ["80301"]))
                })
            #expect(created.filter { $0 == .created }.count == 1, "\(created)")
            #expect(created.filter { $0 == .conflict }.count == 5, "\(created)")
            var ids: [String] = []
            for (name, zip) in [("Longmont", "80501"), ("Loveland", "80537")] {
                let market = try await station.admin(
                    .POST, "/v1/admin/markets", json: AdminFixtures.market(name: name, zips: [zip]))
                ids.append(try #require(market.object["id"] as? String))
            }
            let updated = try await race([
                (
                    .PUT, "/v1/admin/markets/\(ids[0])",
                    AdminFixtures.market(name: "Longmont", zips: ["80501", "80504"])
                ),
                (
                    .PUT, "/v1/admin/markets/\(ids[1])",
                    AdminFixtures.market(name: "Loveland", zips: ["80537", "80504"])
                ),
            ])
            #expect(updated.sorted { $0.code < $1.code } == [.ok, .conflict], "\(updated)")
            let lines = try await race(
                (1...6).map {
                    (.POST, "/v1/admin/service-lines", AdminFixtures.json(["name": "Line \($0)", "code": "hospice"]))
                })
            #expect(lines.filter { $0 == .created }.count == 1, "\(lines)")
            #expect(lines.filter { $0 == .conflict }.count == 5, "\(lines)")
        }
    }

    @Test("every bad field of a market is named, on create and on update")
    func validation() async throws {
        try await StationHarness.with { station in
            let bad = AdminFixtures.market(
                name: " ", zips: ["8030", "80301", "80301"], opens: "8am", closes: "25:00", window: 20, capacity: 101,
                timeZone: "Mars/Olympus_Mons", state: "Colorado")
            let created = try await station.admin(.POST, "/v1/admin/markets", json: bad)
            #expect(created.status == .unprocessableEntity)
            #expect(created.isProblem)
            #expect(
                AdminFixtures.fields(created) == [
                    "name", "state", "time_zone", "zip_codes[0]", "zip_codes[2]", "opens_at", "closes_at",
                    "window_minutes", "capacity_per_window",
                ])
            let order = AdminFixtures.market(opens: "18:00", closes: "09:00")
            #expect(
                AdminFixtures.fields(try await station.admin(.POST, "/v1/admin/markets", json: order)) == ["closes_at"])
            let uneven = AdminFixtures.market(opens: "08:00", closes: "19:00", window: 120)
            #expect(
                AdminFixtures.fields(try await station.admin(.POST, "/v1/admin/markets", json: uneven)) == [
                    "window_minutes"
                ])
            let none = AdminFixtures.market(zips: [])
            #expect(
                AdminFixtures.fields(try await station.admin(.POST, "/v1/admin/markets", json: none)) == ["zip_codes"])

            let updated = try await station.admin(.PUT, "/v1/admin/markets/\(Fixtures.denver)", json: bad)
            #expect(updated.status == .unprocessableEntity)
            #expect(AdminFixtures.fields(updated).contains("time_zone"))
            // Nothing was written by the refused requests.
            #expect(try await AdminChangeModel.query(on: station.app.db).filter(\.$actor == "ops-1").count() == 0)
        }
    }

    @Test("a ZIP code another market serves is refused with 409 naming that market")
    func zipConflict() async throws {
        try await StationHarness.with { station in
            let response = try await station.admin(
                .POST, "/v1/admin/markets", json: AdminFixtures.market(zips: ["80301", "80202"]))
            #expect(response.status == .conflict)
            #expect(response.isProblem)
            #expect((response.object["other_market"] as? [String: Any])?["name"] as? String == "Denver")
            #expect((response.object["detail"] as? String)?.contains("Denver") == true)
            // Denver may keep its own ZIP codes on update.
            let boulder = try await station.boulder()
            let steal = try await station.admin(
                .PUT, "/v1/admin/markets/\(boulder)", json: AdminFixtures.market(zips: ["80301", "80203"]))
            #expect(steal.status == .conflict)
            let same = try await station.admin(
                .PUT, "/v1/admin/markets/\(boulder)", json: AdminFixtures.market(zips: ["80301", "80302"]))
            #expect(same.status == .ok)
            #expect(same.object["zip_codes"] as? [String] == ["80301", "80302"])
        }
    }

    @Test("changing a market keeps its bookings; fewer places than a window has booked is refused naming them")
    func updateKeepsBookings() async throws {
        try await StationHarness.with { station in
            let market = try await station.boulder(capacity: 2)
            let window = try #require(try await station.firstWindow(of: market, plus: 3))
            let alpine = try await station.alpine(markets: [market])
            var booked: [String] = []
            for _ in 0..<2 {
                let created = try await station.book(alpine.patient, of: alpine.partner, zip: "80301", window: window)
                #expect(created.status == .created, "\(created.text)")
                booked.append(try #require(created.object["id"] as? String))
            }
            let lower = try await station.admin(
                .PUT, "/v1/admin/markets/\(market)", json: AdminFixtures.market(capacity: 1))
            #expect(lower.status == .conflict)
            #expect(Set(lower.object["affected_care_requests"] as? [String] ?? []) == Set(booked))

            let longer = try await station.admin(
                .PUT, "/v1/admin/markets/\(market)", json: AdminFixtures.market(name: "Boulder County", capacity: 3))
            #expect(longer.status == .ok)
            let day = try Fixtures.denverDay(plus: 3)
            let availability = try await station.call(.GET, "/v1/markets/\(market)/availability?from=\(day)&to=\(day)")
            let first = try #require(availability.array.first)
            #expect(first["capacity"] as? Int == 3)
            #expect(first["remaining"] as? Int == 1)
            for id in booked {
                let request = try await station.call(.GET, "/v1/care-requests/\(id)")
                #expect(request.object["status"] as? String == "requested")
                #expect(request.object["time_window"] != nil)
            }
        }
    }
}
