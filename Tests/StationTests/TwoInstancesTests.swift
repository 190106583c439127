import Foundation
import StationDomain
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

/// Station scaled out: two instances on one database serve any request alike (issue 22). Run with `--pg` for the
/// real proof; on SQLite the same tests pass with the two instances taking turns at the file.
@Suite("Two Station instances on one database", .timeLimit(.minutes(10)))
struct TwoInstancesTests {
    @Test("two instances starting at once on an empty database: one migrates and loads the demo data, both serve")
    func startTogether() async throws {
        try await TwoStations.with { stations in
            #expect(stations.seeded.count { $0 } == 1)
            for station in [stations.one, stations.two] {
                let partners = try await station.call(.GET, "/v1/partners/\(Fixtures.sunrise)/patients?q=whitfield")
                #expect(partners.status == .ok)
            }
            let check = try await StationApp.check(stations.two.app)
            #expect(check.overCapacity.isEmpty)
            #expect(check.careRequests > 0)
        }
    }

    @Test("bookings of a window's last places sent to both instances at once: the places fill, the rest are refused")
    func lastPlaces() async throws {
        try await TwoStations.with { stations in
            let patient = try await CreateCareRequestTests.eleanor(stations.one)
            let window = try await CreateCareRequestTests.window(stations.one)
            let body = Fixtures.careRequest(patient: patient, window: window)
            @Sendable func book(_ station: StationHarness) async throws -> (HTTPStatus, String?) {
                let response = try await station.call(
                    .POST, "/v1/care-requests", json: body, headers: [("Idempotency-Key", UUID().uuidString)])
                return (response.status, response.object["type"] as? String)
            }
            // Two of its four places are taken first, one through each instance.
            #expect(try await book(stations.one).0 == .created)
            #expect(try await book(stations.two).0 == .created)

            let outcomes = try await withThrowingTaskGroup(of: (HTTPStatus, String?).self) { group in
                for index in 0..<16 {
                    let station = stations.instance(index)
                    group.addTask { try await book(station) }
                }
                return try await group.reduce(into: [(HTTPStatus, String?)]()) { $0.append($1) }
            }
            #expect(outcomes.count { $0.0 == .created } == 2)
            let refused = outcomes.filter { $0.0 != .created }
            #expect(refused.count == 14)
            #expect(refused.allSatisfy { $0.0 == .conflict && $0.1?.hasSuffix("time-window-full") == true })

            let check = try await StationApp.check(stations.two.app)
            #expect(check.overCapacity.isEmpty)
            let load = try #require(
                check.windows.first { $0.start == window.0 && $0.market == DemoData.denver.rawValue })
            #expect(load.capacity == 4)
            #expect(load.booked == 4)
            #expect(load.held == 4)
        }
    }

    @Test("one Idempotency-Key sent to both instances at once makes one care request")
    func oneKeyAcrossInstances() async throws {
        try await TwoStations.with { stations in
            let patient = try await CreateCareRequestTests.eleanor(stations.one)
            let body = Fixtures.careRequest(patient: patient)
            let before = try await StationApp.check(stations.one.app).careRequests
            let ids = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<8 {
                    let station = stations.instance(index)
                    group.addTask {
                        let response = try await station.call(
                            .POST, "/v1/care-requests", json: body, headers: [("Idempotency-Key", "draft-22")])
                        // A request that meets the key still in flight is told to retry (409); any other is a failure.
                        #expect(response.status == .created || response.status == .conflict, "\(response.text)")
                        return response.status == .created ? response.object["id"] as? String : nil
                    }
                }
                return try await group.reduce(into: [String]()) { if let id = $1 { $0.append(id) } }
            }
            #expect(!ids.isEmpty)
            #expect(Set(ids).count == 1)
            #expect(try await StationApp.check(stations.two.app).careRequests == before + 1)
        }
    }

    @Test(
        "a follower reading the feed from either instance in turn while both write sees every event once, in order")
    func feedAcrossInstances() async throws {
        try await TwoStations.with { stations in
            let patient = try await CreateCareRequestTests.eleanor(stations.one)
            let start = (try await stations.one.events().last?["id"] as? NSNumber)?.int64Value ?? 0
            let token = try await stations.one.feedToken()
            let finished = Finished()
            // Six writers, each making four requests and moving each three times, through the instances in turn.
            let steps = Array(StationHarness.walk.prefix(3))
            async let writing: Void = withThrowingTaskGroup(of: Void.self) { group in
                // Set however the writers end, so the follower never waits for writes that will not come.
                defer { finished.set() }
                for writer in 0..<6 {
                    group.addTask {
                        for request in 0..<4 {
                            let created = try await stations.instance(writer + request).call(
                                .POST, "/v1/care-requests", json: Fixtures.careRequest(patient: patient),
                                headers: [("Idempotency-Key", UUID().uuidString)])
                            #expect(created.status == .created)
                            let id = try #require(created.object["id"] as? String)
                            for (index, step) in steps.enumerated() {
                                #expect(try await stations.instance(writer + index + 1).move(id, step).status == .ok)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            // The follower: small pages, from the two instances in turn, until a page read after the writers
            // finished is empty.
            var seen: [Int64] = []
            var cursor = start
            var turn = 0
            while true {
                let last = finished.isSet
                let page = try await stations.instance(turn).send(
                    .GET, "/v1/events?after=\(cursor)&limit=5", token: token)
                turn += 1
                #expect(page.status == .ok)
                let ids = (page.object["events"] as? [[String: Any]] ?? []).compactMap {
                    ($0["id"] as? NSNumber)?.int64Value
                }
                seen += ids
                cursor = try #require((page.object["next_after"] as? NSNumber)?.int64Value)
                if ids.isEmpty {
                    if last { break }
                    try await Task.sleep(for: .milliseconds(5))
                }
            }
            try await writing

            let final = try await stations.two.events(after: start).compactMap { ($0["id"] as? NSNumber)?.int64Value }
            #expect(final.count == 6 * 4 * (1 + steps.count))
            // No id seen twice, none out of order, and none passed over while its transaction was still open.
            #expect(seen == final)
            #expect(zip(seen, seen.dropFirst()).allSatisfy { $0 < $1 })
        }
    }
}
