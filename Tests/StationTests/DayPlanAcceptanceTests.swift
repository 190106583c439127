import Foundation
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

@Suite("Dispatch planning in Station: accepting the plan, a visit running longer")
struct DayPlanAcceptanceTests {
    @Test(
        "accepting the plan gives each stop its estimate: requested and accepted become scheduled, a scheduled one's estimate moves, one on the way is left; a stale version changes nothing"
    )
    func acceptsThePlan() async throws {
        try await StationHarness.with { station in
            let (market, _, alpine) = try await DayPlanTests.boulderDay(station, capacity: 4)
            let windows = try await DayPlanTests.windows(station, market, plus: 2)
            let ids = try await DayPlanTests.book(station, alpine, in: windows.prefix(4))
            try #require(ids.count == 4)
            func move(_ id: String, _ body: [String: Any]) async throws {
                let moved = try await station.call(
                    .POST, "/v1/care-requests/\(id)/status-changes", json: AdminFixtures.json(body))
                #expect(moved.status == .ok, "\(moved.text)")
            }
            let f = ISO8601DateFormatter()
            let typed = ["start": f.string(from: windows[2].0), "end": f.string(from: windows[2].1)]
            try await move(ids[1], ["to": "accepted"])
            try await move(ids[2], ["to": "accepted"])
            try await move(ids[2], ["to": "scheduled", "eta": typed])
            try await move(ids[3], ["to": "accepted"])
            try await move(ids[3], ["to": "scheduled", "eta": typed])
            try await move(ids[3], ["to": "on_route"])
            let before = try await station.events()
            let lastEvent = try #require((before.last?["id"] as? NSNumber)?.int64Value)

            let day = try Fixtures.denverDay(plus: 2)
            let dispatcher = try await station.adminToken(scopes: ["station.dispatch"])
            let plan = try await station.send(.GET, "/v1/staff/markets/\(market)/plan?date=\(day)", token: dispatcher)
            #expect(plan.status == .ok, "\(plan.text)")
            let version = try #require(plan.object["version"] as? String)
            let stops = (plan.object["routes"] as? [[String: Any]])?.first?["stops"] as? [[String: Any]] ?? []
            #expect(stops.count == 4)
            var estimates: [String: [String: String]] = [:]
            for stop in stops {
                let id = try #require(stop["care_request_id"] as? String)
                estimates[id] = try #require(stop["estimate"] as? [String: String])
                let start = try #require((stop["starts_at"] as? String).flatMap(f.date(from:)))
                let estimate = try #require(estimates[id]?["start"].flatMap(f.date(from:)))
                #expect(estimate <= start && start.timeIntervalSince(estimate) < 300)
            }
            let accept = "/v1/staff/markets/\(market)/plan/accept"

            let stale = try await station.send(
                .POST, accept, token: dispatcher, body: ["date": day, "version": "not-the-plan"])
            #expect(stale.status == .conflict && stale.text.contains("plan-changed"), "\(stale.text)")
            #expect(try await station.events(after: lastEvent).isEmpty)

            let accepted = try await station.send(
                .POST, accept, token: dispatcher, body: ["date": day, "version": version])
            #expect(accepted.status == .ok, "\(accepted.text)")
            #expect(accepted.object["scheduled"] as? Int == 2)
            #expect(accepted.object["moved"] as? Int == 1)
            #expect(accepted.object["unchanged"] as? Int == 0)
            #expect(accepted.object["left"] as? [String] == [ids[3]])
            for id in ids.prefix(3) {
                let request = try await station.call(.GET, "/v1/care-requests/\(id)")
                #expect(request.object["status"] as? String == "scheduled", "\(id)")
                let eta = request.object["eta"] as? [String: String]
                #expect(
                    eta.flatMap { $0["start"] }.flatMap(f.date(from:)) == estimates[id]?["start"].flatMap(f.date(from:))
                )
            }
            let onRoute = try await station.call(.GET, "/v1/care-requests/\(ids[3])")
            #expect(onRoute.object["status"] as? String == "on_route")

            // Partners and patients hear it through the events: each step, and the moved estimate.
            let events = try await station.events(after: lastEvent)
            let told = events.map {
                "\($0["care_request_id"] as? String ?? "") \($0["type"] as? String ?? "") \($0["new_status"] as? String ?? "")"
            }
            #expect(told.contains("\(ids[0]) care_request.status_changed accepted"))
            #expect(told.contains("\(ids[0]) care_request.status_changed scheduled"))
            #expect(told.contains("\(ids[1]) care_request.status_changed scheduled"))
            #expect(told.contains("\(ids[2]) care_request.eta_changed scheduled"))
            #expect(events.count == 4, "\(told)")
            let moved = try #require(events.first { $0["type"] as? String == "care_request.eta_changed" })
            #expect(
                (moved["eta"] as? [String: String])?["start"].flatMap(f.date(from:))
                    == estimates[ids[2]]?["start"].flatMap(f.date(from:)))

            // Accepting the same plan again sets nothing new.
            let again = try await station.send(
                .POST, accept, token: dispatcher, body: ["date": day, "version": version])
            #expect(again.status == .ok, "\(again.text)")
            #expect(again.object["unchanged"] as? Int == 3 && again.object["scheduled"] as? Int == 0)
            #expect(try await station.events(after: lastEvent).count == 4)

            // A bad body is a 4xx naming the field.
            let bad = try await station.send(
                .POST, accept, token: dispatcher, body: ["date": "2026-02-30", "version": version])
            #expect(bad.status == .unprocessableEntity && bad.problemFields == ["date"], "\(bad.text)")
        }
    }

    @Test(
        "a visit marked longer moves the estimates after it and tells their partners; 0 takes it back; a request not planned is a 409"
    )
    func runningLate() async throws {
        try await StationHarness.with { station in
            let (market, _, alpine) = try await DayPlanTests.boulderDay(station, capacity: 3)
            // One visit in the first window, one in the next: an hour of slack between them.
            try await DayPlanTests.book(station, alpine, in: DayPlanTests.windows(station, market, plus: 2).prefix(2))
            let day = try Fixtures.denverDay(plus: 2)
            let dispatcher = try await station.adminToken(scopes: ["station.dispatch"])
            let planPath = "/v1/staff/markets/\(market)/plan?date=\(day)"
            func stops() async throws -> [[String: Any]] {
                let plan = try await station.send(.GET, planPath, token: dispatcher)
                return (plan.object["routes"] as? [[String: Any]])?.first?["stops"] as? [[String: Any]] ?? []
            }
            let before = try await stops()
            try #require(before.count == 2)
            let version = try #require(
                try await station.send(.GET, planPath, token: dispatcher).object["version"] as? String)
            let accepted = try await station.send(
                .POST, "/v1/staff/markets/\(market)/plan/accept", token: dispatcher,
                body: ["date": day, "version": version])
            #expect(accepted.object["scheduled"] as? Int == 2, "\(accepted.text)")
            let first = try #require(before[0]["care_request_id"] as? String)
            let second = try #require(before[1]["care_request_id"] as? String)
            let lastEvent = try #require((try await station.events().last?["id"] as? NSNumber)?.int64Value)

            let late = try await station.send(
                .PUT, "/v1/staff/care-requests/\(first)/extra-visit-time", token: dispatcher,
                body: ["extra_minutes": 90])
            #expect(late.status == .ok, "\(late.text)")
            #expect(late.object["moved"] as? [String] == [second])
            let after = try await stops()
            #expect(after.map { $0["care_request_id"] as? String } == [first, second])
            #expect(after.first?["extra_minutes"] as? Int == 90)
            let f = ISO8601DateFormatter()
            let was = try #require((before[1]["starts_at"] as? String).flatMap(f.date(from:)))
            let now = try #require((after[1]["starts_at"] as? String).flatMap(f.date(from:)))
            // 150 minutes from the first window's start end half an hour into the second window.
            #expect(now.timeIntervalSince(was) >= 30 * 60 && now.timeIntervalSince(was) < 35 * 60)
            let told = try await station.events(after: lastEvent)
            #expect(told.map { $0["type"] as? String } == ["care_request.eta_changed"])
            #expect(told.first?["care_request_id"] as? String == second)
            let request = try await station.call(.GET, "/v1/care-requests/\(second)")
            #expect(
                (request.object["eta"] as? [String: String])?["start"]
                    == (after[1]["estimate"] as? [String: String])?["start"])

            let back = try await station.send(
                .PUT, "/v1/staff/care-requests/\(first)/extra-visit-time", token: dispatcher, body: ["extra_minutes": 0]
            )
            #expect(back.object["moved"] as? [String] == [second], "\(back.text)")
            #expect(try await stops().first?["extra_minutes"] as? Int == 0)

            let tooLong = try await station.send(
                .PUT, "/v1/staff/care-requests/\(first)/extra-visit-time", token: dispatcher,
                body: ["extra_minutes": 241])
            #expect(tooLong.status == .unprocessableEntity && tooLong.problemFields == ["extra_minutes"])
            let unbooked = try await station.book(alpine.patient, of: alpine.partner, zip: "80301", window: nil)
            let noWindow = try #require(unbooked.object["id"] as? String)
            let refused = try await station.send(
                .PUT, "/v1/staff/care-requests/\(noWindow)/extra-visit-time", token: dispatcher,
                body: ["extra_minutes": 10])
            #expect(refused.status == .conflict && refused.text.contains("visit-not-planned"), "\(refused.text)")
            let unknown = try await station.send(
                .PUT, "/v1/staff/care-requests/\(UUID().uuidString)/extra-visit-time", token: dispatcher,
                body: ["extra_minutes": 10])
            #expect(unknown.status == .notFound)
        }
    }

    @Test(
        "after acceptance the day follows the accepted routes: a new booking is added without moving the stops; planning afresh lets go of them"
    )
    func followsTheAcceptedRoutes() async throws {
        try await StationHarness.with { station in
            let (market, _, alpine) = try await DayPlanTests.boulderDay(station, capacity: 2)
            let windows = try await DayPlanTests.windows(station, market, plus: 2)
            try await DayPlanTests.book(station, alpine, in: windows.prefix(3))
            let day = try Fixtures.denverDay(plus: 2)
            let dispatcher = try await station.dispatcher(name: "Dee Dispatcher")
            let planPath = "/v1/staff/markets/\(market)/plan?date=\(day)"
            func plan() async throws -> TestingHTTPResponse {
                let plan = try await station.send(.GET, planPath, token: dispatcher)
                #expect(plan.status == .ok, "\(plan.text)")
                return plan
            }
            func stops(_ plan: TestingHTTPResponse) -> [String] {
                ((plan.object["routes"] as? [[String: Any]])?.first?["stops"] as? [[String: Any]] ?? [])
                    .compactMap { $0["care_request_id"] as? String }
            }
            let proposed = try await plan()
            #expect(proposed.object["follows"] == nil, "nothing accepted yet: the whole day is planned")
            let version = try #require(proposed.object["version"] as? String)
            let accepted = try await station.send(
                .POST, "/v1/staff/markets/\(market)/plan/accept", token: dispatcher,
                body: ["date": day, "version": version])
            #expect(accepted.status == .ok, "\(accepted.text)")

            let following = try await plan()
            let follows = try #require(following.object["follows"] as? [String: Any], "\(following.text)")
            #expect(follows["accepted_by"] as? String == "Dee Dispatcher")
            #expect(following.object["version"] as? String == version, "the accepted plan, unchanged")
            let acceptedStops = stops(following)
            #expect(acceptedStops.count == 3)

            // A booking in the first window is added where it fits; the accepted stops keep their order.
            let late = try await station.book(alpine.patient, of: alpine.partner, zip: "80301", window: windows[0])
            let lateID = try #require(late.object["id"] as? String)
            let added = try await plan()
            #expect(stops(added).filter { $0 != lateID } == acceptedStops)
            #expect(stops(added).contains(lateID), "\(added.text)")

            // Planning afresh lets go of the accepted routes; the estimates stay until the next acceptance.
            let again = try await station.send(
                .DELETE, "/v1/staff/markets/\(market)/plan/accepted?date=\(day)", token: dispatcher)
            #expect(again.status == .noContent, "\(again.text)")
            let afresh = try await plan()
            #expect(afresh.object["follows"] == nil)
            #expect(Set(stops(afresh)) == Set(acceptedStops + [lateID]))
            let bad = try await station.send(
                .DELETE, "/v1/staff/markets/\(market)/plan/accepted?date=someday", token: dispatcher)
            #expect(bad.status == .badRequest)
        }
    }
}
