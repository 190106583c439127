import Fluent
import Foundation
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

@Suite("Administration: care teams")
struct AdminCareTeamTests {
    static func team(
        name: String = "Team North", base: String = "80301", lines: [String] = ["acute_care", "bridge_care"],
        shifts: [[String: String]] = [
            ["day": "tuesday", "starts_at": "09:00", "ends_at": "19:00"],
            ["day": "monday", "starts_at": "07:00", "ends_at": "17:00"],
        ]
    ) -> String {
        AdminFixtures.json(["name": name, "base_zip": base, "service_lines": lines, "shifts": shifts])
    }

    @Test("an operations admin adds, lists, changes and removes a market's care teams; every change is recorded")
    func lifecycle() async throws {
        try await StationHarness.with { station in
            let market = try await station.boulder()
            let created = try await station.admin(
                .POST, "/v1/admin/markets/\(market)/care-teams", json: Self.team(name: " Team North "))
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.object["id"] as? String)
            #expect(created.object["name"] as? String == "Team North")
            #expect(created.object["market_id"] as? String == market)
            let shifts = created.object["shifts"] as? [[String: Any]] ?? []
            #expect(shifts.map { $0["day"] as? String } == ["monday", "tuesday"])

            let second = try await station.admin(
                .POST, "/v1/admin/markets/\(market)/care-teams", json: Self.team(name: "Team East"))
            #expect(second.status == .created, "\(second.text)")
            let list = try await station.admin(.GET, "/v1/admin/markets/\(market)/care-teams")
            #expect(list.status == .ok)
            #expect(list.array.map { $0["name"] as? String } == ["Team East", "Team North"])

            let changed = try await station.admin(
                .PUT, "/v1/admin/markets/\(market)/care-teams/\(id)",
                json: Self.team(
                    name: "Team North", lines: ["advanced_care"],
                    shifts: [["day": "saturday", "starts_at": "10:00", "ends_at": "24:00"]]))
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(changed.object["service_lines"] as? [String] == ["advanced_care"])
            let reread = try await station.admin(.GET, "/v1/admin/markets/\(market)/care-teams")
            let north = reread.array.first { $0["id"] as? String == id }
            #expect(north?["service_lines"] as? [String] == ["advanced_care"])
            #expect((north?["shifts"] as? [[String: Any]])?.first?["ends_at"] as? String == "24:00")

            let removed = try await station.admin(.DELETE, "/v1/admin/markets/\(market)/care-teams/\(id)")
            #expect(removed.status == .noContent)
            let again = try await station.admin(.DELETE, "/v1/admin/markets/\(market)/care-teams/\(id)")
            #expect(again.status == .notFound)
            #expect(try await station.admin(.GET, "/v1/admin/markets/\(market)/care-teams").array.count == 1)

            let actions = try await AdminChangeModel.query(on: station.app.db)
                .filter(\.$entityID == "\(market)/\(id)").all().map(\.action)
            #expect(Set(actions) == ["care_team.created", "care_team.updated", "care_team.removed"])
        }
    }

    @Test("every bad field is named: a base outside the market, an unknown or doubled service line, bad shifts")
    func refusals() async throws {
        try await StationHarness.with { station in
            let market = try await station.boulder()
            let bad = try await station.admin(
                .POST, "/v1/admin/markets/\(market)/care-teams",
                json: Self.team(
                    name: " ", base: "80202", lines: ["acute_care", "acute_care", "dentistry"],
                    shifts: [
                        ["day": "monday", "starts_at": "18:00", "ends_at": "08:00"],
                        ["day": "monday", "starts_at": "7:00", "ends_at": "24:30"],
                    ]))
            #expect(bad.status == .unprocessableEntity, "\(bad.text)")
            #expect(
                AdminFixtures.fields(bad) == [
                    "name", "base_zip", "service_lines[1]", "service_lines[2]", "shifts[0].ends_at", "shifts[1].day",
                    "shifts[1].starts_at", "shifts[1].ends_at",
                ])
            let noShifts = try await station.admin(
                .POST, "/v1/admin/markets/\(market)/care-teams", json: Self.team(lines: [], shifts: []))
            #expect(AdminFixtures.fields(noShifts) == ["service_lines", "shifts"])
            let badDay = try await station.admin(
                .POST, "/v1/admin/markets/\(market)/care-teams",
                json: Self.team(shifts: [["day": "someday", "starts_at": "08:00", "ends_at": "10:00"]]))
            #expect(badDay.status == .badRequest)

            #expect(
                try await station.admin(.POST, "/v1/admin/markets/\(market)/care-teams", json: Self.team()).status
                    == .created)
            let taken = try await station.admin(
                .POST, "/v1/admin/markets/\(market)/care-teams", json: Self.team(name: "team north"))
            #expect(taken.status == .conflict)
            #expect(taken.isProblem)

            let unknownMarket = try await station.admin(
                .POST, "/v1/admin/markets/\(UUID().uuidString.lowercased())/care-teams", json: Self.team())
            #expect(unknownMarket.status == .notFound)
            let unknownTeam = try await station.admin(
                .PUT, "/v1/admin/markets/\(market)/care-teams/\(UUID().uuidString.lowercased())", json: Self.team())
            #expect(unknownTeam.status == .notFound)
            let notUUID = try await station.admin(.DELETE, "/v1/admin/markets/\(market)/care-teams/north")
            #expect(notUUID.status == .badRequest)
        }
    }

    @Test(
        "care teams are operations admins' alone: a dispatcher's token, a partner's token or another market's admin are refused"
    )
    func access() async throws {
        try await StationHarness.with { station in
            let market = try await station.boulder()
            let dispatcher = try await station.adminToken(scopes: ["station.dispatch"])
            let refused = try await station.send(
                .POST, "/v1/admin/markets/\(market)/care-teams", token: dispatcher, json: Self.team())
            #expect(refused.status == .forbidden)
            let elsewhere = try await station.adminToken(markets: [UUID().uuidString.lowercased()])
            let hidden = try await station.send(.GET, "/v1/admin/markets/\(market)/care-teams", token: elsewhere)
            #expect(hidden.status == .notFound)
            let partnerToken = try await station.adminToken(partner: UUID().uuidString.lowercased())
            let partner = try await station.send(.GET, "/v1/admin/markets/\(market)/care-teams", token: partnerToken)
            #expect(partner.status == .forbidden || partner.status == .notFound)
        }
    }

    @Test("a market keeps the ZIP code a care team is based at: dropping it names the team")
    func marketKeepsBases() async throws {
        try await StationHarness.with { station in
            let market = try await station.boulder()
            _ = try await station.admin(
                .PUT, "/v1/admin/markets/\(market)", json: AdminFixtures.market(zips: ["80301", "80302"]))
            #expect(
                try await station.admin(
                    .POST, "/v1/admin/markets/\(market)/care-teams", json: Self.team(base: "80302")
                ).status == .created)
            let dropped = try await station.admin(
                .PUT, "/v1/admin/markets/\(market)", json: AdminFixtures.market(zips: ["80301"]))
            #expect(dropped.status == .unprocessableEntity, "\(dropped.text)")
            #expect(dropped.text.contains("the care team Team North"))
            #expect(
                try await station.admin(
                    .PUT, "/v1/admin/markets/\(market)", json: AdminFixtures.market(zips: ["80302", "80303"])
                ).status == .ok)
        }
    }

    @Test("a base the planner cannot place (a ZIP code outside the centroid data) is refused beside the base")
    func unplaceableBase() async throws {
        try await StationHarness.with { station in
            let market = try await station.boulder(zip: "10001")
            let refused = try await station.admin(
                .POST, "/v1/admin/markets/\(market)/care-teams", json: Self.team(base: "10001"))
            #expect(refused.status == .unprocessableEntity, "\(refused.text)")
            #expect(AdminFixtures.fields(refused) == ["base_zip"])
        }
    }
}
