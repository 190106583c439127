import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting

@testable import Station

@Suite("Events: the feed GET /v1/events")
struct EventsFeedTests {
    /// Three requests, one walked to complete: eight events.
    func someEvents(_ station: StationHarness) async throws {
        let patient = try await CreateCareRequestTests.eleanor(station)
        var ids: [String] = []
        for _ in 0..<3 {
            let created = try await station.call(
                .POST, "/v1/care-requests", json: Fixtures.careRequest(patient: patient),
                headers: [("Idempotency-Key", UUID().uuidString)])
            ids.append(try #require(created.object["id"] as? String))
        }
        for step in StationHarness.walk {
            #expect(try await station.move(ids[0], step).status == .ok)
        }
    }

    @Test("pages follow each other by next_after without a gap or a repeat, and has_more ends them")
    func paging() async throws {
        try await StationHarness.with { station in
            try await someEvents(station)
            let all = try await station.events()
            #expect(all.count == 8)
            let token = try await station.feedToken()
            var cursor: Int64 = 0
            var seen: [Int64] = []
            var pages = 0
            while true {
                let page = try await station.send(.GET, "/v1/events?after=\(cursor)&limit=3", token: token)
                #expect(page.status == .ok)
                let ids = (page.object["events"] as? [[String: Any]] ?? []).compactMap {
                    ($0["id"] as? NSNumber)?.int64Value
                }
                seen += ids
                pages += 1
                cursor = try #require((page.object["next_after"] as? NSNumber)?.int64Value)
                #expect(cursor == ids.last ?? cursor)
                if page.object["has_more"] as? Bool != true { break }
                #expect(ids.count == 3)
            }
            #expect(pages == 3)
            #expect(seen == all.compactMap { ($0["id"] as? NSNumber)?.int64Value })
            #expect(seen == seen.sorted() && Set(seen).count == seen.count)

            let end = try await station.send(.GET, "/v1/events?after=\(cursor)", token: token)
            #expect((end.object["events"] as? [Any])?.isEmpty == true)
            #expect((end.object["next_after"] as? NSNumber)?.int64Value == cursor)
            #expect(end.object["has_more"] as? Bool == false)
        }
    }

    @Test("a page size outside 1 to 500 or a negative cursor is a 400 naming the field")
    func badQuery() async throws {
        try await StationHarness.with { station in
            let token = try await station.feedToken()
            for (query, field) in [("limit=0", "limit"), ("limit=501", "limit"), ("after=-1", "after")] {
                let response = try await station.send(.GET, "/v1/events?\(query)", token: token)
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.isProblem)
                #expect(response.problemFields == [field])
            }
        }
    }

    @Test("the feed needs station.events.read and refuses partner and patient tokens")
    func access() async throws {
        try await StationHarness.with { station in
            let scope = ["station.events.read"]
            let refused = [
                try await station.feedToken(StationHarness.allScopes),
                try await station.token(
                    tenant: "staff", subject: "express-m2m", client: "express-m2m", scopes: scope,
                    partner: DemoData.sunrise),
                try await station.token(
                    tenant: "express", subject: "user-1", client: "express-web", scopes: scope,
                    partner: DemoData.sunrise, userID: "user-1"),
                try await station.token(tenant: "express", subject: "user-1", client: "express-web", scopes: scope),
                try await station.token(tenant: "patients", subject: "oss-m2m", client: "oss-m2m", scopes: scope),
            ]
            for token in refused {
                let response = try await station.send(.GET, "/v1/events", token: token)
                #expect(response.status == .forbidden, "\(response.text)")
                #expect(response.isProblem)
            }
            #expect(try await station.send(.GET, "/v1/events", token: nil).status == .unauthorized)
            let staffUser = try await station.token(
                tenant: "staff", subject: "dee", client: "console", scopes: scope + ["station.dispatch"], userID: "dee")
            #expect(try await station.send(.GET, "/v1/events", token: staffUser).status == .ok)
            #expect(try await station.send(.GET, "/v1/events", token: try await station.feedToken()).status == .ok)
        }
    }
}
