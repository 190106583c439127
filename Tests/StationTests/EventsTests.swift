import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting
import Vocabulary

@testable import Station

@Suite("Events: one per create and per status change")
struct EventsTests {
    func newRequest(_ station: StationHarness, body: String? = nil) async throws -> String {
        let patient = try await CreateCareRequestTests.eleanor(station)
        let response = try await station.call(
            .POST, "/v1/care-requests", json: body ?? Fixtures.careRequest(patient: patient),
            headers: [("Idempotency-Key", UUID().uuidString)])
        #expect(response.status == .created, "\(response.text)")
        return try #require(response.object["id"] as? String)
    }

    @Test("a request walked to complete has a created event and one status_changed per move, ids increasing")
    func walk() async throws {
        try await StationHarness.with { station in
            let window = try await CreateCareRequestTests.window(station)
            let patient = try await CreateCareRequestTests.eleanor(station)
            let id = try await newRequest(station, body: Fixtures.careRequest(patient: patient, window: window))
            for step in StationHarness.walk {
                let moved = try await station.move(id, step)
                #expect(moved.status == .ok, "\(moved.text)")
            }
            let events = try await station.events(of: id)
            #expect(
                events.map { $0["type"] as? String } == ["care_request.created"]
                    + Array(repeating: "care_request.status_changed", count: 5))
            #expect(
                events.map { $0["old_status"] as? String } == [
                    nil, "requested", "accepted", "scheduled", "on_route", "on_scene",
                ])
            #expect(
                events.map { $0["new_status"] as? String } == [
                    "requested", "accepted", "scheduled", "on_route", "on_scene", "complete",
                ])
            #expect(events.allSatisfy { $0["partner_id"] as? String == Fixtures.sunrise })
            #expect(
                events.allSatisfy {
                    ($0["window"] as? [String: Any])?["start"] as? String == Fixtures.isoDate(window.0)
                })
            #expect(events.first?["eta"] == nil)
            #expect(events.last?["eta"] != nil)
            let ids = events.compactMap { ($0["id"] as? NSNumber)?.int64Value }
            #expect(ids.count == 6)
            #expect(ids == ids.sorted() && Set(ids).count == ids.count)

            let detail = try await station.call(.GET, "/v1/care-requests/\(id)")
            #expect((detail.object["status_history"] as? [[String: Any]])?.count == events.count)
        }
    }

    @Test("a refused change or create writes no event: the event shares the change's transaction")
    func refusals() async throws {
        try await StationHarness.with { station in
            let id = try await newRequest(station)
            let before = try await station.events()
            #expect(try await station.move(id, #"{"to":"complete"}"#).status == .conflict)
            #expect(try await station.move(id, #"{"to":"archived"}"#).status == .unprocessableEntity)
            #expect(try await station.move(UUID().uuidString.lowercased(), #"{"to":"accepted"}"#).status == .notFound)
            let patient = try await CreateCareRequestTests.eleanor(station)
            let outside = try await station.call(
                .POST, "/v1/care-requests", json: Fixtures.careRequest(patient: patient, zip: "10001"),
                headers: [("Idempotency-Key", UUID().uuidString)])
            #expect(outside.status == .unprocessableEntity)
            let window = try await CreateCareRequestTests.window(station)
            var statuses: [HTTPStatus] = []
            for _ in 0..<5 {
                statuses.append(
                    try await station.call(
                        .POST, "/v1/care-requests", json: Fixtures.careRequest(patient: patient, window: window),
                        headers: [("Idempotency-Key", UUID().uuidString)]
                    ).status)
            }
            #expect(statuses.filter { $0 == .conflict }.count == 1, "the fifth booking of a four-place window is full")
            let after = try await station.events()
            #expect(after.count == before.count + 4, "one event per request made, none for anything refused")

            let replay = "replayed-key"
            for _ in 0..<2 {
                _ = try await station.call(
                    .POST, "/v1/care-requests", json: Fixtures.careRequest(patient: patient),
                    headers: [("Idempotency-Key", replay)])
            }
            #expect(try await station.events().count == after.count + 1, "a replayed create writes no second event")
        }
    }

    @Test("changes committed at once each write one event, every id distinct and in commit order")
    func concurrent() async throws {
        try await StationHarness.with { station in
            var ids: [CareRequestID] = []
            for _ in 0..<8 { ids.append(try #require(CareRequestID(wire: try await newRequest(station)))) }
            let store = station.store
            try await withThrowingTaskGroup(of: Void.self) { group in
                for id in ids {
                    group.addTask {
                        _ = try await store.changeStatus(id, to: .accepted, actor: "d1", reason: nil, eta: nil)
                    }
                }
                try await group.waitForAll()
            }
            let events = try await station.events()
            let moved = events.filter { $0["type"] as? String == "care_request.status_changed" }
            #expect(moved.count == ids.count)
            #expect(Set(moved.compactMap { $0["care_request_id"] as? String }) == Set(ids.map(\.wire)))
            let all = events.compactMap { ($0["id"] as? NSNumber)?.int64Value }
            #expect(all.count == events.count)
            #expect(all == all.sorted() && Set(all).count == all.count)
            let queued = try await station.app.outboxLog.messages(destination: "express", limit: 100)
            #expect(Set(queued.map(\.messageID)) == Set(all.map { "evt_\($0)" }))
        }
    }

    @Test("a synthetic request's create and archive write both their events")
    func synthetic() async throws {
        try await StationHarness.with { station in
            let patient = try await CreateCareRequestTests.eleanor(station)
            let id = try await newRequest(
                station, body: try SyntheticCareRequestTests.synthetic(Fixtures.careRequest(patient: patient)))
            let events = try await station.events(of: id)
            #expect(events.map { $0["type"] as? String } == ["care_request.created", "care_request.status_changed"])
            #expect(events.map { $0["new_status"] as? String } == ["requested", "archived"])
        }
    }

    @Test("a patient's own request has no partner in its events")
    func direct() async throws {
        try await StationHarness.with { station in
            let patient = try await station.call(
                .POST, "/v1/patients",
                json: #"{"given_name":"Dana","family_name":"Reyes","date_of_birth":"1960-05-05","sex":"other"}"#)
            let patientID = try #require(patient.object["id"] as? String)
            var body = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(Fixtures.careRequest(patient: patientID, partner: nil).utf8))
                    as? [String: Any])
            body["source"] = "oss_d2m"
            let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
            let id = try await newRequest(station, body: json)
            let events = try await station.events(of: id)
            #expect(events.count == 1)
            #expect(events.first.map { $0.keys.contains("partner_id") } == false)
        }
    }

    @Test("events carry ids, statuses and times only: no name, reason, complaint or phone number")
    func noPHI() async throws {
        try await StationHarness.with { station in
            let patient = try await CreateCareRequestTests.eleanor(station)
            let id = try await newRequest(
                station, body: Fixtures.careRequest(patient: patient, complaint: "Chest pain since Tuesday"))
            let archived = try await station.move(id, #"{"to":"archived","reason":"Family drove her to St Luke's"}"#)
            #expect(archived.status == .ok)
            let feed = try await station.send(.GET, "/v1/events?limit=500", token: try await station.feedToken())
            for secret in ["Chest pain", "St Luke", "Whitfield", "Eleanor", "303-555-0199", "Pat Scheduler", "Larimer"]
            {
                #expect(!feed.text.contains(secret), "the feed shows \(secret)")
            }
            let allowed: Set<String> = [
                "id", "type", "care_request_id", "partner_id", "old_status", "new_status", "window", "eta", "at",
            ]
            let events = try #require(feed.object["events"] as? [[String: Any]])
            #expect(!events.isEmpty)
            #expect(events.allSatisfy { Set($0.keys).isSubset(of: allowed) })
        }
    }
}
