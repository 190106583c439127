import Foundation
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

@Suite("Availability that consults the dispatch plan")
struct PlanFitTests {
    @Test(
        "asked with a ZIP code and a service line, a window with room says whether the day's plan can still take the visit; capacity stays the ceiling"
    )
    func windowsThePlanFits() async throws {
        try await StationHarness.with { station in
            let (market, team, alpine) = try await DayPlanTests.boulderDay(station, capacity: 4)
            let windows = try await DayPlanTests.windows(station, market, plus: 2)
            let first = try #require(windows.first)
            // Three hour-long visits at one address fill Boulder Day's first window: they start at 8, 9 and 10.
            for _ in 0..<3 {
                let booked = try await station.book(alpine.patient, of: alpine.partner, zip: "80301", window: first)
                #expect(booked.status == .created, "\(booked.text)")
            }
            let lines = try await station.call(.GET, "/v1/service-lines").array
            let acute = try #require(lines.first { $0["code"] as? String == "acute_care" }?["id"] as? String)
            let other = try #require(lines.first { $0["code"] as? String != "acute_care" }?["id"] as? String)
            let day = try Fixtures.denverDay(plus: 2)
            let path = "/v1/markets/\(market)/availability?from=\(day)&to=\(day)"
            func windowsFor(_ query: String) async throws -> [[String: Any]] {
                let response = try await station.call(.GET, path + query)
                #expect(response.status == .ok, "\(response.text)")
                return response.array
            }

            let plain = try await windowsFor("")
            #expect(plain.first?["remaining"] as? Int == 1)
            #expect(plain.allSatisfy { $0["fits_plan"] == nil })

            let fitted = try await windowsFor("&zip=80301&service_line_id=\(acute)")
            #expect(fitted.count == plain.count)
            #expect(fitted.first?["remaining"] as? Int == 1, "the capacity is reported as it is")
            #expect(fitted.first?["fits_plan"] as? Bool == false, "a fourth visit cannot start by 10:00")
            #expect(fitted.dropFirst().allSatisfy { $0["fits_plan"] as? Bool == true }, "\(fitted)")

            let badID = try await station.call(
                .GET, path + "&zip=80301&service_line_id=\(acute)&rescheduling=not-an-id")
            #expect(badID.status == .badRequest && badID.problemFields == ["rescheduling"], "\(badID.text)")

            // A line no team delivers fits nowhere.
            let unserved = try await windowsFor("&zip=80301&service_line_id=\(other)")
            #expect(unserved.allSatisfy { $0["fits_plan"] as? Bool == false })

            // Half a question, or a bad one, is a 400 naming the field.
            let half = try await station.call(.GET, path + "&zip=80301")
            #expect(half.status == .badRequest && half.problemFields == ["service_line_id"], "\(half.text)")
            let badZip = try await station.call(.GET, path + "&zip=8030&service_line_id=\(acute)")
            #expect(badZip.status == .badRequest && badZip.problemFields == ["zip"], "\(badZip.text)")
            let unknownLine = try await station.call(.GET, path + "&zip=80301&service_line_id=\(UUID().uuidString)")
            #expect(unknownLine.status == .badRequest && unknownLine.problemFields == ["service_line_id"])

            // A window without room is not offered whatever the plan: the capacity is the ceiling.
            let later = try #require(try await DayPlanTests.windows(station, market, plus: 3).first)
            for _ in 0..<4 {
                let booked = try await station.book(alpine.patient, of: alpine.partner, zip: "80301", window: later)
                #expect(booked.status == .created, "\(booked.text)")
            }
            let laterDay = try Fixtures.denverDay(plus: 3)
            let full = try await station.call(
                .GET,
                "/v1/markets/\(market)/availability?from=\(laterDay)&to=\(laterDay)&zip=80301&service_line_id=\(acute)")
            #expect(full.array.first?["remaining"] as? Int == 0 && full.array.first?["fits_plan"] == nil)
            #expect(full.array.dropFirst().contains { $0["fits_plan"] as? Bool == true }, "\(full.text)")

            // Two visits at one address and a third from the ZIP code's centre do not fit two hours (travel between
            // them); one of the two being rescheduled does not count against itself, and then the window fits.
            let fourth = try #require(try await DayPlanTests.windows(station, market, plus: 4).first)
            var two: [String] = []
            for _ in 0..<2 {
                let booked = try await station.book(alpine.patient, of: alpine.partner, zip: "80301", window: fourth)
                two.append(try #require(booked.object["id"] as? String))
            }
            let fourthDay = try Fixtures.denverDay(plus: 4)
            let fourthPath =
                "/v1/markets/\(market)/availability?from=\(fourthDay)&to=\(fourthDay)&zip=80301&service_line_id=\(acute)"
            let asNew = try await station.call(.GET, fourthPath)
            #expect(asNew.array.first?["fits_plan"] as? Bool == false, "\(asNew.text)")
            let moving = try await station.call(.GET, fourthPath + "&rescheduling=\(two[0])")
            #expect(moving.array.first?["fits_plan"] as? Bool == true, "\(moving.text)")

            // A market without care teams plans no routes: capacity alone.
            #expect(
                try await station.admin(.DELETE, "/v1/admin/markets/\(market)/care-teams/\(team)").status == .noContent)
            let noTeams = try await windowsFor("&zip=80301&service_line_id=\(acute)")
            #expect(noTeams.allSatisfy { $0["fits_plan"] == nil })
        }
    }

    @Test(
        "on a day that follows accepted routes, a window fits only when those routes can take the visit as they stand; planned afresh, the planner may move stops to make room"
    )
    func acceptedRoutesAreWhatAWindowMustFit() async throws {
        try await StationHarness.with { station in
            let created = try await station.admin(
                .POST, "/v1/admin/markets", json: AdminFixtures.market(zips: ["80301", "80305"], capacity: 4))
            #expect(created.status == .created, "\(created.text)")
            let market = try #require(created.object["id"] as? String)
            func team(_ name: String, base: String, lines: [String]) async throws -> String {
                let made = try await station.admin(
                    .POST, "/v1/admin/markets/\(market)/care-teams",
                    json: AdminFixtures.json([
                        "name": name, "base_zip": base, "service_lines": lines,
                        "shifts": DayPlanTests.everyDay("07:00", "20:00"),
                    ]))
                #expect(made.status == .created, "\(made.text)")
                return try #require(made.object["id"] as? String)
            }
            // Boulder Day (acute care only) is based where the visits are; Boulder South also delivers bridge care,
            // from the other side of town, so a plan of its own puts acute visits on Boulder Day.
            _ = try await team("Boulder Day", base: "80301", lines: ["acute_care"])
            let south = try await team("Boulder South", base: "80305", lines: ["acute_care", "bridge_care"])
            let alpine = try await station.alpine(markets: [market])
            let first = try #require(try await DayPlanTests.windows(station, market, plus: 2).first)
            // Three hour-long acute visits fill one team's first window (they start at 8, 9 and 10).
            let ids = try await DayPlanTests.book(station, alpine, in: Array(repeating: first, count: 3))
            try #require(ids.count == 3)
            let lines = try await station.call(.GET, "/v1/service-lines").array
            let bridge = try #require(lines.first { $0["code"] as? String == "bridge_care" }?["id"] as? String)
            let day = try Fixtures.denverDay(plus: 2)
            let availability =
                "/v1/markets/\(market)/availability?from=\(day)&to=\(day)&zip=80301&service_line_id=\(bridge)"
            func firstWindowFits() async throws -> Bool? {
                let response = try await station.call(.GET, availability)
                #expect(response.status == .ok, "\(response.text)")
                return response.array.first?["fits_plan"] as? Bool
            }
            #expect(try await firstWindowFits() == true, "Boulder South is free for a bridge care visit")

            // A dispatcher gives the three to Boulder South and accepts that plan; the pins then come off, and the
            // day keeps following the accepted routes.
            let dispatcher = try await station.dispatcher()
            for id in ids {
                let pinned = try await station.send(
                    .PUT, "/v1/staff/care-requests/\(id)/pin", token: dispatcher, body: ["care_team_id": south])
                #expect(pinned.status == .ok, "\(pinned.text)")
            }
            let plan = try await station.send(.GET, "/v1/staff/markets/\(market)/plan?date=\(day)", token: dispatcher)
            let version = try #require(plan.object["version"] as? String, "\(plan.text)")
            let accepted = try await station.send(
                .POST, "/v1/staff/markets/\(market)/plan/accept", token: dispatcher,
                body: ["date": day, "version": version])
            #expect(accepted.status == .ok, "\(accepted.text)")
            for id in ids {
                let unpinned = try await station.send(.DELETE, "/v1/staff/care-requests/\(id)/pin", token: dispatcher)
                #expect(unpinned.status == .ok, "\(unpinned.text)")
            }
            let followed = try await station.send(
                .GET, "/v1/staff/markets/\(market)/plan?date=\(day)", token: dispatcher)
            let routes = followed.object["routes"] as? [[String: Any]] ?? []
            let southStops = routes.first { $0["team_id"] as? String == south }?["stops"] as? [[String: Any]] ?? []
            #expect(Set(southStops.compactMap { $0["care_request_id"] as? String }) == Set(ids), "\(followed.text)")

            // Boulder South's accepted route has no room left in the first window, and Boulder Day does not deliver
            // bridge care: the window is not offered, although a plan made afresh would move the three.
            #expect(try await firstWindowFits() == false)

            // Planned afresh, the planner moves the acute visits to Boulder Day again and the window fits.
            let afresh = try await station.send(
                .DELETE, "/v1/staff/markets/\(market)/plan/accepted?date=\(day)", token: dispatcher)
            #expect(afresh.status == .noContent, "\(afresh.text)")
            #expect(try await firstWindowFits() == true)
        }
    }
}
