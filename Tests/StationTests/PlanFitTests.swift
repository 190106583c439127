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
}
