import Foundation
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

@Suite("Dispatch planning in Station: moving a stop to another team and pinning it")
struct DayPlanPinTests {
    @Test(
        "a stop moved to another team is pinned there; a move the team cannot make, or that leaves a visit unplanned, is refused with what breaks and changes nothing; the pin comes off"
    )
    func movesAndPins() async throws {
        try await StationHarness.with { station in
            let (market, day1, alpine) = try await DayPlanTests.boulderDay(station, capacity: 4)
            func team(_ name: String, _ start: String, _ end: String) async throws -> String {
                let created = try await station.admin(
                    .POST, "/v1/admin/markets/\(market)/care-teams",
                    json: AdminFixtures.json([
                        "name": name, "base_zip": "80301", "service_lines": ["acute_care"],
                        "shifts": DayPlanTests.everyDay(start, end),
                    ]))
                #expect(created.status == .created, "\(created.text)")
                return try #require(created.object["id"] as? String)
            }
            let day2 = try await team("Boulder Second", "07:00", "20:00")
            let dawn = try await team("Boulder Dawn", "06:00", "07:30")
            let windows = try await DayPlanTests.windows(station, market, plus: 2)
            let first = try #require(windows.first)
            var ids: [String] = []
            // Four visits at the same address in the first window: one team makes three (an hour each, back to back).
            for _ in 0..<4 {
                let booked = try await station.book(alpine.patient, of: alpine.partner, zip: "80301", window: first)
                #expect(booked.status == .created, "\(booked.text)")
                ids.append(try #require(booked.object["id"] as? String))
            }
            let day = try Fixtures.denverDay(plus: 2)
            let dispatcher = try await station.dispatcher(name: "Dee Dispatcher")
            let planPath = "/v1/staff/markets/\(market)/plan?date=\(day)"
            /// Who pinned each pinned stop, as the plan says.
            func pinnedBy() async throws -> [String: String] {
                let plan = try await station.send(.GET, planPath, token: dispatcher)
                var by: [String: String] = [:]
                for route in plan.object["routes"] as? [[String: Any]] ?? [] {
                    for stop in route["stops"] as? [[String: Any]] ?? [] {
                        if let id = stop["care_request_id"] as? String, let who = stop["pinned_by"] as? String {
                            by[id] = who
                        }
                    }
                }
                return by
            }
            /// Each request's team and whether it is pinned there, and the plan's version.
            func plan(complete: Bool = true) async throws
                -> (teams: [String: String], pinned: Set<String>, version: String, unplanned: [[String: Any]])
            {
                let plan = try await station.send(.GET, planPath, token: dispatcher)
                #expect(plan.status == .ok, "\(plan.text)")
                let unplanned = plan.object["unplanned"] as? [[String: Any]] ?? []
                if complete { #expect(unplanned.isEmpty, "\(plan.text)") }
                var teams: [String: String] = [:]
                var pinned: Set<String> = []
                for route in plan.object["routes"] as? [[String: Any]] ?? [] {
                    for stop in route["stops"] as? [[String: Any]] ?? [] {
                        let id = try #require(stop["care_request_id"] as? String)
                        teams[id] = route["team_id"] as? String
                        if stop["pinned"] as? Bool == true { pinned.insert(id) }
                    }
                }
                return (teams, pinned, try #require(plan.object["version"] as? String), unplanned)
            }
            func pin(_ id: String, _ team: String) async throws -> TestingHTTPResponse {
                try await station.send(
                    .PUT, "/v1/staff/care-requests/\(id)/pin", token: dispatcher, body: ["care_team_id": team])
            }
            let before = try await plan()
            #expect(before.teams.count == 4 && before.pinned.isEmpty)
            #expect(!before.teams.values.contains(dawn), "Dawn's shift ends before the window opens")

            // Three stops to Boulder Second, pinned there.
            for id in ids.prefix(3) {
                let moved = try await pin(id, day2)
                #expect(moved.status == .ok, "\(moved.text)")
                #expect(moved.object["care_team_id"] as? String == day2)
                #expect(moved.object["starts_at"] is String)
                #expect(moved.object["travel_change_seconds"] is Int)
            }
            let pinned = try await plan()
            #expect(ids.prefix(3).allSatisfy { pinned.teams[$0] == day2 })
            #expect(pinned.teams[ids[3]] == day1, "the unpinned one goes to the other team")
            #expect(pinned.pinned == Set(ids.prefix(3)))
            #expect(
                try await pinnedBy() == Dictionary(uniqueKeysWithValues: ids.prefix(3).map { ($0, "Dee Dispatcher") }))

            // A team whose shift cannot reach the visit: refused, with why, and nothing saved.
            let dawnMove = try await pin(ids[3], dawn)
            #expect(dawnMove.status == .conflict, "\(dawnMove.text)")
            #expect(dawnMove.text.contains("move-breaks-plan"))
            #expect(dawnMove.object["reason"] as? String == "outside_every_shift")
            #expect((dawnMove.object["detail"] as? String)?.contains("Boulder Dawn") == true)
            let afterDawn = try await plan()
            #expect(afterDawn.version == pinned.version && afterDawn.pinned == pinned.pinned)

            // A fourth visit in the window for Boulder Second leaves one of the four out: refused, with what breaks.
            let full = try await pin(ids[3], day2)
            #expect(full.status == .conflict, "\(full.text)")
            let affected = full.object["affected_care_requests"] as? [String] ?? []
            #expect(
                (full.object["reason"] as? String == "no_room_left" && affected.isEmpty)
                    || (full.object["reason"] == nil && affected.count == 1 && ids.contains(affected[0])),
                "\(full.text)")
            let after = try await plan()
            #expect(after.version == pinned.version && after.pinned == pinned.pinned)

            // Refusals.
            let otherMarket = try await pin(ids[3], UUID().uuidString)
            #expect(otherMarket.status == .unprocessableEntity && otherMarket.problemFields == ["care_team_id"])
            let unknown = try await pin(UUID().uuidString, day2)
            #expect(unknown.status == .notFound)
            let unbooked = try await station.book(alpine.patient, of: alpine.partner, zip: "80301", window: nil)
            let noWindow = try await pin(try #require(unbooked.object["id"] as? String), day2)
            #expect(noWindow.status == .conflict && noWindow.text.contains("visit-not-planned"), "\(noWindow.text)")
            let nurse = try await station.nurse()
            let notDispatcher = try await station.send(
                .PUT, "/v1/staff/care-requests/\(ids[0])/pin", token: nurse, body: ["care_team_id": day2])
            #expect(notDispatcher.status == .forbidden)

            // The pin comes off: the planner chooses again.
            let unpinned = try await station.send(.DELETE, "/v1/staff/care-requests/\(ids[0])/pin", token: dispatcher)
            #expect(unpinned.status == .ok, "\(unpinned.text)")
            #expect(unpinned.object["care_team_id"] == nil)
            #expect(try await plan().pinned == [ids[1], ids[2]])
            #expect(Set(try await pinnedBy().keys) == [ids[1], ids[2]], "the pin and who made it come off together")

            // Removing a team takes its pins off.
            #expect(
                try await station.admin(.DELETE, "/v1/admin/markets/\(market)/care-teams/\(day2)").status == .noContent)
            // Boulder Day alone fits three of the window's four visits; none is pinned to the team that is gone.
            let removed = try await plan(complete: false)
            #expect(removed.pinned.isEmpty && removed.teams.count == 3 && removed.unplanned.count == 1)
            #expect(removed.unplanned.first?["reason"] as? String == "no_room_left")
            #expect(removed.unplanned.first?["pinned_team_id"] == nil)
        }
    }
}
