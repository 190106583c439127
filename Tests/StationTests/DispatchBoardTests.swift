import Foundation
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Station

@Suite("Dispatch board and capacity")
struct DispatchBoardTests {
    func board(_ station: StationHarness, day: String, token: String) async throws -> TestingHTTPResponse {
        try await station.send(.GET, "/v1/staff/markets/\(Fixtures.denver)/board?date=\(day)", token: token)
    }

    func capacity(_ station: StationHarness, _ start: Date, _ places: Int, token: String? = nil) async throws
        -> TestingHTTPResponse
    {
        var bearer = token
        if bearer == nil { bearer = try await station.dispatcher() }
        return try await station.send(
            .PUT, "/v1/staff/markets/\(Fixtures.denver)/capacity", token: try #require(bearer),
            body: ["window_start": Fixtures.isoDate(start), "capacity": places])
    }

    func move(_ station: StationHarness, _ id: String, token: String, _ body: [String: Any]) async throws
        -> TestingHTTPResponse
    {
        try await station.send(.POST, "/v1/care-requests/\(id)/status-changes", token: token, body: body)
    }

    @Test("the demo requests are on today's board in their windows, each window's booked count their places")
    func demoBoard() async throws {
        try await StationHarness.with { station in
            let response = try await board(
                station, day: try Fixtures.denverDay(), token: try await station.dispatcher())
            #expect(response.status == .ok, "\(response.text)")
            let windows = try #require(response.object["windows"] as? [[String: Any]])
            #expect((response.object["unscheduled"] as? [[String: Any]])?.isEmpty == true)
            var holding = 0
            for window in windows {
                let requests = window["requests"] as? [[String: Any]] ?? []
                let held = requests.filter { $0["status"] as? String != "archived" }.count
                #expect(window["booked"] as? Int == held, "\(window)")
                holding += held
            }
            #expect(holding == 10)
            let statuses = Set(
                windows.flatMap { $0["requests"] as? [[String: Any]] ?? [] }.compactMap { $0["status"] as? String })
            #expect(statuses == ["accepted", "scheduled", "on_route", "on_scene", "complete", "archived"])
            let tomorrow = try await board(
                station, day: try Fixtures.denverDay(plus: 1), token: try await station.dispatcher())
            let booked = (tomorrow.object["windows"] as? [[String: Any]] ?? []).compactMap { $0["booked"] as? Int }
            #expect(booked.reduce(0, +) == 2)
        }
    }

    @Test("the board shows each window's places and requests with their next moves, never the nurses' queue")
    func dayBoard() async throws {
        try await StationHarness.with { station in
            let window = try await CreateCareRequestTests.window(station)
            let booked = try await station.newCareRequest(window: window)
            let triage = try await station.newCareRequest(triage: true)
            let response = try await board(
                station, day: try Fixtures.denverDay(window.0), token: try await station.dispatcher())
            #expect(response.status == .ok, "\(response.text)")
            let windows = try #require(response.object["windows"] as? [[String: Any]])
            let slot = try #require(windows.first { $0["start"] as? String == Fixtures.isoDate(window.0) })
            #expect(slot["booked"] as? Int == 1 && slot["capacity"] as? Int == 4)
            let item = try #require((slot["requests"] as? [[String: Any]])?.first { $0["id"] as? String == booked })
            #expect(item["status"] as? String == "requested")
            #expect(item["allowed_next"] as? [String] == ["accepted", "archived"])
            #expect(item["patient_name"] as? String == "Eleanor Whitfield")
            #expect(item["partner_name"] as? String == "Sunrise Senior Living")
            let everything =
                windows.flatMap { $0["requests"] as? [[String: Any]] ?? [] }
                + (response.object["unscheduled"] as? [[String: Any]] ?? [])
            #expect(!everything.contains { $0["id"] as? String == triage })
            #expect(!everything.contains { $0["status"] as? String == "pending_triage" })
        }
    }

    @Test("two dispatchers moving the same request at once: exactly one wins, the other is told who did")
    func racingDispatchers() async throws {
        try await StationHarness.with { station in
            let id = try await station.newCareRequest()
            let tokens = [try await station.dispatcher("dee"), try await station.dispatcher("dan")]
            let responses = try await withThrowingTaskGroup(of: TestingHTTPResponse.self) { group in
                for token in tokens {
                    group.addTask {
                        try await move(station, id, token: token, ["to": "accepted", "expected_status": "requested"])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(responses.filter { $0.status == .ok }.count == 1)
            let lost = try #require(responses.first { $0.status != .ok })
            #expect(lost.status == .conflict, "\(lost.text)")
            #expect(lost.object["type"] as? String == "https://selfscheduling.example/problems/status-conflict")
            let winner = try #require(
                (responses.first { $0.status == .ok }?.object["status_history"] as? [[String: Any]])?.last?["actor"]
                    as? String)
            #expect((lost.object["detail"] as? String)?.contains("accepted now: \(winner) moved it there") == true)
            let detail = try await station.call(.GET, "/v1/care-requests/\(id)")
            let history = try #require(detail.object["status_history"] as? [[String: Any]])
            #expect(history.filter { $0["to"] as? String == "accepted" }.count == 1)
        }
    }

    @Test(
        "a move from a status the request has left is refused even when legal, naming who moved it (name, else email)"
    )
    func staleExpectedStatus() async throws {
        try await StationHarness.with { station in
            let id = try await station.newCareRequest()
            let dee = try await station.dispatcher("dee", name: "Dee Dispatcher", email: "dispatcher@example.com")
            #expect(try await move(station, id, token: dee, ["to": "accepted"]).status == .ok)
            let stale = try await move(
                station, id, token: try await station.dispatcher("dan", email: "dan@example.com"),
                ["to": "archived", "reason": "Duplicate", "expected_status": "requested"])
            #expect(stale.status == .conflict)
            #expect(stale.object["current_status"] as? String == "accepted")
            #expect(
                (stale.object["detail"] as? String)?.contains("accepted now: Dee Dispatcher moved it there") == true)
            let detail = try await station.call(.GET, "/v1/care-requests/\(id)")
            #expect(detail.object["status"] as? String == "accepted")
            let unscoped = try await move(
                station, id, token: try await station.dispatcher("dan", email: "dan@example.com"),
                ["to": "archived", "reason": "Duplicate"])
            #expect(
                (unscoped.object["status_history"] as? [[String: Any]])?.last?["actor"] as? String == "dan@example.com")
        }
    }

    @Test("capacity below what is booked is refused naming the bookings; down to it, or 0 on an empty window, works")
    func capacityChanges() async throws {
        try await StationHarness.with { station in
            let window = try await CreateCareRequestTests.window(station)
            let first = try await station.newCareRequest(window: window)
            let second = try await station.newCareRequest(window: window)
            let refused = try await capacity(station, window.0, 1)
            #expect(refused.status == .conflict, "\(refused.text)")
            #expect(Set(refused.object["affected_care_requests"] as? [String] ?? []) == [first, second])
            let kept = try await capacity(station, window.0, 2)
            #expect(kept.status == .ok, "\(kept.text)")
            #expect(kept.object["capacity"] as? Int == 2 && kept.object["booked"] as? Int == 2)
            #expect(try await TriageTests.remaining(station, window) == 0)

            let other = try await CreateCareRequestTests.window(station, skip: 1)
            let closed = try await capacity(station, other.0, 0)
            #expect(closed.status == .ok && closed.object["capacity"] as? Int == 0)
            #expect(try await TriageTests.remaining(station, other) == 0)
            let full = try await station.call(
                .POST, "/v1/care-requests",
                json: Fixtures.careRequest(
                    patient: try await CreateCareRequestTests.eleanor(station), window: other),
                headers: [("Idempotency-Key", UUID().uuidString)])
            #expect(full.status == .conflict)

            let offSchedule = try await capacity(station, window.0.addingTimeInterval(60), 3)
            #expect(offSchedule.status == .unprocessableEntity && offSchedule.problemFields == ["window_start"])
            let tooMany = try await capacity(station, window.0, 101)
            #expect(tooMany.status == .unprocessableEntity && tooMany.problemFields == ["capacity"])
        }
    }

    @Test("a window of a day the market is closed is refused with the closure's reason until the day is reopened")
    func capacityOnClosedDay() async throws {
        try await StationHarness.with { station in
            let day = try Fixtures.denverDay(plus: 5)
            let window = try #require(try await station.firstWindow(of: Fixtures.denver, plus: 5))
            let closure = "/v1/admin/markets/\(Fixtures.denver)/closures/\(day)"
            let closed = try await station.admin(.PUT, closure, json: #"{"reason":"Snow day"}"#)
            #expect(closed.status.code < 300, "\(closed.text)")
            let refused = try await capacity(station, window.0, 2)
            #expect(refused.status == .unprocessableEntity, "\(refused.text)")
            #expect(refused.isProblem)
            #expect(refused.problemFields == ["window_start"])
            #expect(
                refused.object["detail"] as? String
                    == "The market is closed on \(day) (Snow day); reopen the day first.")
            #expect(try await station.admin(.DELETE, closure).status.code < 300)
            let changed = try await capacity(station, window.0, 2)
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(changed.object["capacity"] as? Int == 2)
        }
    }

    @Test("a dispatcher reaches only her markets: another market's board, capacity and requests are unknown")
    func marketScoping() async throws {
        try await StationHarness.with { station in
            let id = try await station.newCareRequest()
            let phoenixOnly = try await station.dispatcher(markets: [DemoData.phoenix.wire])
            let day = try Fixtures.denverDay()
            #expect(try await board(station, day: day, token: phoenixOnly).status == .notFound)
            let window = try await CreateCareRequestTests.window(station)
            #expect(try await capacity(station, window.0, 1, token: phoenixOnly).status == .notFound)
            #expect(try await move(station, id, token: phoenixOnly, ["to": "accepted"]).status == .notFound)
            let machine = try await station.token(
                tenant: "staff", subject: "ops-m2m", client: "ops-m2m", scopes: ["station.dispatch"])
            #expect(try await board(station, day: day, token: machine).status == .ok)
        }
    }

    @Test(
        "staff operations refuse partner tokens and patients tokens whatever their scopes, and each role's scope",
        arguments: [
            "listTriageQueue", "getDispatchBoard", "setWindowCapacity", "recordTriageOutcome", "getDayPlan",
            "acceptDayPlan", "extendVisit", "pinVisit", "unpinVisit", "planDayAgain",
        ])
    func refusals(operation: String) async throws {
        try await StationHarness.with { station in
            let every = StationHarness.allScopes + ["station.triage"]
            let id = try await station.newCareRequest(triage: true)
            let window = try await CreateCareRequestTests.window(station)
            func send(_ token: String) async throws -> TestingHTTPResponse {
                switch operation {
                case "listTriageQueue":
                    try await station.send(.GET, "/v1/staff/triage-queue", token: token)
                case "getDispatchBoard":
                    try await board(station, day: try Fixtures.denverDay(), token: token)
                case "setWindowCapacity":
                    try await capacity(station, window.0, 1, token: token)
                case "extendVisit":
                    try await station.send(
                        .PUT, "/v1/staff/care-requests/\(id)/extra-visit-time", token: token,
                        body: ["extra_minutes": 10])
                case "pinVisit":
                    try await station.send(
                        .PUT, "/v1/staff/care-requests/\(id)/pin", token: token,
                        body: ["care_team_id": UUID().uuidString])
                case "planDayAgain":
                    try await station.send(
                        .DELETE,
                        "/v1/staff/markets/\(Fixtures.denver)/plan/accepted?date=\(try Fixtures.denverDay())",
                        token: token)
                case "unpinVisit":
                    try await station.send(.DELETE, "/v1/staff/care-requests/\(id)/pin", token: token)
                case "acceptDayPlan":
                    try await station.send(
                        .POST, "/v1/staff/markets/\(Fixtures.denver)/plan/accept", token: token,
                        body: ["date": try Fixtures.denverDay(), "version": "v"])
                case "getDayPlan":
                    try await station.send(
                        .GET, "/v1/staff/markets/\(Fixtures.denver)/plan?date=\(try Fixtures.denverDay())", token: token
                    )
                default:
                    try await station.send(
                        .POST, "/v1/staff/care-requests/\(id)/triage-outcome", token: token,
                        body: ["outcome": "emergency", "note": "ER"])
                }
            }
            let partnerMachine = try await station.token(every, partner: DemoData.sunrise)
            let partnerUser = try await station.token(
                tenant: "express", subject: "u-1", client: "express-web", scopes: every, partner: DemoData.sunrise,
                userID: "u-1")
            let patient = try await station.staffToken("pat", scopes: every, tenant: "patients")
            for token in [partnerMachine, partnerUser, patient] {
                let response = try await send(token)
                #expect(response.status == .forbidden, "\(operation): \(response.text)")
            }
            let wrongRole =
                operation == "listTriageQueue" || operation == "recordTriageOutcome"
                ? try await station.dispatcher() : try await station.nurse()
            let refused = try await send(wrongRole)
            #expect(refused.status == .forbidden, "\(operation): \(refused.text)")
            #expect(refused.text.contains("station."))
        }
    }
}
